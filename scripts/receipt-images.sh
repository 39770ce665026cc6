#!/usr/bin/env bash
# Regenerates docs/receipts/*.png: a demo sale as an 80 mm roll and on A4,
# a void on 58 mm, and a coupon's slip on 58 mm, rendered by the real CLI
# and turned into PNG with pdftoppm. Run after a change to the receipt or
# slip layout; look at the images.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p regulars
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
regulars() { target/debug/regulars --db "$work/demo.db" "$@"; }
regulars demo >/dev/null
# The newest stored-value sale with line items, and the newest void.
sale="$(regulars history --limit 200 --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
print(next(r["number"] for r in rows if r["kind"] == "sale" and not r["voided"]))')"
void="$(regulars history --limit 1000 --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
print(next(r["number"] for r in rows if r["kind"] == "void"))')"
regulars receipt pdf "$sale" --width 80 -o "$work/sale-80mm.pdf" >/dev/null
regulars receipt pdf "$sale" --width a4 -o "$work/sale-a4.pdf" >/dev/null
regulars receipt pdf "$void" --width 58 -o "$work/void-58mm.pdf" >/dev/null
pdftoppm -r 150 -png -singlefile "$work/sale-80mm.pdf" docs/receipts/sale-80mm
pdftoppm -r 150 -png -singlefile "$work/void-58mm.pdf" docs/receipts/void-58mm
pdftoppm -r 75 -png -singlefile "$work/sale-a4.pdf" docs/receipts/sale-a4
# A coupon of a new offer for the demo's first member (the demo's owner PIN is 1111).
REGULARS_PIN=1111 regulars coupon offer add --name 開幕折50 --kind amount_off --amount 50 --min-spend 200 --days 30 >/dev/null
code="$(REGULARS_PIN=1111 regulars coupon issue M000001 --offer 1 --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["code"])')"
regulars coupon slip "$code" --paper 58 -o "$work/coupon-58mm.pdf" >/dev/null
pdftoppm -r 150 -png -singlefile "$work/coupon-58mm.pdf" docs/receipts/coupon-58mm
ls -l docs/receipts
