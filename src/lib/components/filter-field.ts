/** What every field of a ListFilters form takes (FilterInput, FilterSelect): the empty value is
 * no filter. */
export interface FilterFieldProps {
	id: string;
	name: string;
	label: string;
	value: string;
}
