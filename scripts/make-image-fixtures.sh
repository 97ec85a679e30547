#!/bin/sh
# Builds tests/fixtures/images/: images for the generate CLI's --from-image / --to-image tests, from the world clips
# of tests/fixtures/world/ (ffmpeg with libwebp, as Debian ships it).
#   clip04-first.webp   frame 0 of clip-04 (a purple star moving right), 64×64, lossless WebP
#   clip04-last.jpg     frame 15 of clip-04, enlarged to 256×192 (another size and aspect), JPEG
#   star-alpha.png      frame 0 of clip-05 (a purple star on black) at 96×64, the black made transparent (RGBA PNG)
#   not-an-image.png    text with a .png name
# Run: sh scripts/make-image-fixtures.sh
set -e
cd "$(dirname "$0")/.."
out=tests/fixtures/images
mkdir -p "$out"
clip=tests/fixtures/world/clip-04.png
ffmpeg -v error -y -i "$clip" -vf "crop=64:64:0:0" -c:v libwebp -lossless 1 "$out/clip04-first.webp"
ffmpeg -v error -y -i "$clip" -vf "crop=64:64:960:0,scale=256:192:flags=bicubic" -q:v 2 "$out/clip04-last.jpg"
ffmpeg -v error -y -i tests/fixtures/world/clip-05.png -vf "crop=64:64:0:0,scale=96:64:flags=neighbor,colorkey=black:0.1:0,format=rgba" "$out/star-alpha.png"
printf 'These are not the pixels you are looking for.\n' > "$out/not-an-image.png"
