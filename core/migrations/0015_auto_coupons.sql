-- Regulars schema, version 15: coupons the shop issues by itself, each off
-- until the owner turns it on with an offer: a birthday coupon some days
-- before each member's birthday, a welcome coupon at registration, and a
-- win-back coupon when a member first sleeps (S1).
--
-- Each automatic coupon names what it was for in `auto_key` ('birthday:2027',
-- 'welcome', 'winBack:2026-11-02' — the last visit the member slept after),
-- unique per member: a run repeated, or two tills running at once, issue
-- it once. Automatic coupons of one kind and offer form one standing
-- campaign, so the campaign report shows what they brought back.

CREATE TABLE auto_coupons (
    kind        TEXT PRIMARY KEY CHECK (kind IN ('birthday', 'welcome', 'winBack')),
    offer_id    INTEGER REFERENCES coupon_offers (id),
    enabled     INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    days_before INTEGER NOT NULL DEFAULT 7 CHECK (days_before BETWEEN 0 AND 60),
    updated_at  INTEGER NOT NULL DEFAULT 0,
    CHECK (enabled = 0 OR offer_id IS NOT NULL)
);
INSERT INTO auto_coupons (kind) VALUES ('birthday'), ('welcome'), ('winBack');

ALTER TABLE coupons ADD COLUMN auto_key TEXT;
CREATE UNIQUE INDEX coupons_auto ON coupons (member_id, auto_key) WHERE auto_key IS NOT NULL;
