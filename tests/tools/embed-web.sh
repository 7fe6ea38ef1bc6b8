#!/bin/sh
# embed-web.sh FILE... — print qda serve's pages (cmd/web/*) as C string
# constants and the table web.c serves them from, at /static/NAME with the
# type of their extension. Nothing is fetched at run time.
dir=$(dirname "$0")
echo "/* generated from cmd/web/ by tests/tools/embed-web.sh; do not edit */"
echo "struct web_asset {"
echo "	const char *path, *type, *data;"
echo "	size_t len;"
echo "};"
i=0
for f in "$@"; do
	sh "$dir/embed.sh" "web_asset_$i" "$f"
	i=$((i + 1))
done
echo "static const struct web_asset web_assets[] = {"
i=0
for f in "$@"; do
	name=$(basename "$f")
	case "$name" in
	*.html) type="text/html; charset=utf-8" ;;
	*.js) type="text/javascript; charset=utf-8" ;;
	*.css) type="text/css; charset=utf-8" ;;
	*.svg) type="image/svg+xml" ;;
	*) type="application/octet-stream" ;;
	esac
	echo "	{ \"/static/$name\", \"$type\", web_asset_$i, sizeof web_asset_$i - 1 },"
	i=$((i + 1))
done
echo "	{ NULL, NULL, NULL, 0 },"
echo "};"
