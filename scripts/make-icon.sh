#!/usr/bin/env bash
# Redraws the app icon (a red 熟 seal on green) and regenerates every size in
# icons/ with the Tauri CLI. Needs ImageMagick and fonts-noto-cjk.
set -euo pipefail
cd "$(dirname "$0")/.."

convert -size 1024x1024 xc:none \
  -fill '#1d5c4b' -draw 'roundrectangle 40,40 984,984 200,200' \
  \( -size 1024x1024 xc:none -fill '#c8372d' -draw 'circle 512,512 512,132' \
     -fill none -stroke '#f7efe3' -strokewidth 18 -draw 'circle 512,512 512,172' \
     -stroke none -fill '#f7efe3' -font Noto-Serif-CJK-TC-Bold -pointsize 470 \
     -gravity center -annotate +0+10 '熟' -distort SRT -8 \) \
  -composite icons/app-icon.png

npx tauri icon icons/app-icon.png -o icons
rm -rf icons/android icons/ios
cp icons/128x128.png ui/public/favicon.png
