#!/bin/sh
# embed.sh NAME FILE — print FILE as a C string constant NAME, with the
# schema's GUID_EXPR placeholder replaced by SQLite's UUID v4 expression.
name=$1
file=$2
guid="lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
echo "/* generated from $file by tests/tools/embed.sh; do not edit */"
echo "static const char ${name}[] ="
sed -e "s/GUID_EXPR/$guid/g" -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$file"
echo ";"
