-- Regulars schema, version 13: an erased member stays erased.
--
-- When a member's details are erased on their request the row stays (its
-- receipts and ledgers point to it), archived, with the time of the erase:
-- the core refuses to bring it back to the lists or to fill it in again.
ALTER TABLE members ADD COLUMN erased_at INTEGER;

-- Members erased before this version, from the audit log's record of it.
UPDATE members SET erased_at = (
    SELECT max(a.at) FROM audit_log a WHERE a.kind = 'eraseMember' AND a.member_id = members.id
) WHERE archived = 1;
