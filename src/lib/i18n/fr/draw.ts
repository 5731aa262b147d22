export const draw = {
	'draw.toolbar': 'Outils de dessin',
	'draw.mode': 'Dessiner',
	'draw.mode.point': 'Point',
	'draw.mode.line': 'Ligne',
	'draw.mode.polygon': 'Zone',
	'draw.undo': 'Annuler',
	'draw.finish': 'Terminer',
	'draw.clear': 'Effacer',
	'draw.hint.point': 'Cliquez sur la carte pour placer le point.',
	'draw.hint.start.line': 'Cliquez sur la carte pour commencer la ligne.',
	'draw.hint.start.polygon': 'Cliquez sur la carte pour placer le premier sommet de la zone.',
	'draw.hint.more.line':
		'{n} points. Cliquez pour en ajouter ; un double-clic, Entrée ou Terminer achève la ligne.',
	'draw.hint.more.polygon':
		'{n} sommets. Cliquez pour en ajouter ; cliquer sur le premier sommet, un double-clic, Entrée ou Terminer ferme la zone.',
	'draw.hint.done': 'Dessiné. Annuler pour le modifier, Effacer (Échap) pour recommencer.',
	'draw.invalid.empty': 'Dessinez d’abord sur la carte, ou collez des coordonnées.',
	'draw.invalid.too_few': 'Trop peu de points : il faut au moins {min} points distincts.',
	'draw.invalid.self_intersecting':
		'La zone se recoupe : annulez ou redessinez les sommets pour qu’aucun côté n’en croise un autre.',
	'draw.invalid.no_area': 'La zone n’a pas de surface : ses sommets sont alignés.',
	'draw.invalid.not_geojson':
		'Ces coordonnées ne sont pas du GeoJSON : une géométrie est attendue, par exemple {"type": "Point", "coordinates": [43.13, 36.34]} (longitude d’abord).',
	'draw.invalid.unsupported':
		'Seuls un point, une ligne ou une zone (ou leurs formes Multi-) peuvent être utilisés.',
	'draw.invalid.out_of_range':
		'Les coordonnées doivent être longitude, latitude en degrés, longitude d’abord.',
	'draw.paste': 'Ou collez des coordonnées (GeoJSON)',
	'draw.paste_hint':
		'Une géométrie ou une Feature GeoJSON, longitude d’abord. Ce que vous dessinez s’écrit aussi ici.',
	'draw.proximity.map': 'Carte de la zone de recherche et des incidents trouvés',
	'draw.proximity.preview':
		'En grisé : {km} km autour (un aperçu ; la base de données mesure la distance).',
	'draw.proximity.show': 'Afficher {place} sur la carte',
	'draw.proximity.legend.incident': 'Incident trouvé',
	'draw.presence.map': 'Carte des lieux où l’acteur est présent',
	'draw.presence.legend': 'Zones de présence',
	'draw.presence.how': 'Ajouter une présence sous forme de',
	'draw.presence.by_area': 'Une unité administrative',
	'draw.presence.by_drawing': 'Une zone dessinée sur la carte',
	'draw.presence.find': 'Chercher une zone par nom ou P-code',
	'draw.presence.area': 'Zone',
	'draw.presence.matches': '{n} zones correspondent',
	'draw.presence.label': 'Libellé',
	'draw.presence.add': 'Ajouter la présence',
	'draw.presence.saved': 'Présence ajoutée.',
	'draw.presence.removed': 'Présence retirée.'
};
