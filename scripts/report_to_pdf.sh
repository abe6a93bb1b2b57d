#!/bin/sh
# Convert generated report workbooks (supervision_reports) to PDF with LibreOffice, to check that they open and print.
# LibreOffice is not a project dependency (it is heavy): install Debian's libreoffice-calc where you run this.
#
#   scripts/report_to_pdf.sh var/reports/411400/monthly_list-2026-11-01-2026-11-30.xlsx [more.xlsx ...] [-o outdir]
set -eu
outdir=""
files=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) outdir="$2"; shift 2 ;;
    *) files="$files $1"; shift ;;
  esac
done
[ -n "$files" ] || { echo "usage: $0 report.xlsx [...] [-o outdir]" >&2; exit 2; }
command -v libreoffice >/dev/null || { echo "libreoffice not found: apt-get install libreoffice-calc" >&2; exit 3; }
profile=$(mktemp -d)  # a private LibreOffice profile: runs in parallel and leaves the user's profile alone
trap 'rm -rf "$profile"' EXIT
for file in $files; do
  dir=${outdir:-$(dirname "$file")}
  libreoffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$dir" "$file" >/dev/null
  pdf="$dir/$(basename "${file%.*}").pdf"
  [ -s "$pdf" ] || { echo "no PDF for $file" >&2; exit 1; }
  echo "$pdf"
done
