#!/bin/sh
# Fails when a file with translatable strings is missing from po/POTFILES.in, or when the German
# translation has an untranslated or fuzzy message for the current sources.
set -eu
top=${1:-.}
cd "$top"
status=0

missing=$(git ls-files 'src/*.c' 'src/*.ui' 'data/*.in' 'data/*.xml' 2>/dev/null \
  | xargs grep -l -E '(^|[^A-Za-z0-9_])(_|N_|C_|NC_)\(|translatable="yes"|<_[a-z]|^(Name|GenericName|Comment|Keywords)=|<summary>' 2>/dev/null \
  | grep -v -e '\.gresource\.xml$' -e '^data/strategy/' \
  | while read -r f; do grep -qxF "$f" po/POTFILES.in || echo "$f"; done)
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from po/POTFILES.in:"
  echo "$missing"
  status=1
fi

for f in $(grep -v '^#' po/POTFILES.in); do
  [ -f "$f" ] || { echo "po/POTFILES.in lists $f, which does not exist"; status=1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xgettext --files-from=po/POTFILES.in --from-code=UTF-8 --add-comments --directory=. \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 --keyword=g_dcgettext:2 \
  --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
  --output="$tmp/buendnis.pot" 2>"$tmp/xgettext.log" || { cat "$tmp/xgettext.log"; exit 1; }

for po in po/*.po; do
  msgmerge --quiet --no-fuzzy-matching "$po" "$tmp/buendnis.pot" -o "$tmp/merged.po"
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/merged.po" 2>&1)
  echo "$po: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*)
      echo "$po is incomplete; untranslated or fuzzy:"
      msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep '^msgid' | head -n 20
      status=1;;
  esac
done

exit $status
