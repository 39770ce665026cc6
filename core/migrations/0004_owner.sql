-- Regulars schema, version 4: the owner's view (tiers, segments, follow-ups).
SELECT 1;
