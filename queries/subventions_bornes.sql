-- The smallest and the largest grant of the store: the bounds of the sidebar's grant range.
SELECT coalesce(min(subvention_eur), 0) AS minimum, coalesce(max(subvention_eur), 0) AS maximum
FROM projet;
