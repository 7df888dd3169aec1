#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh: the database from a .dump file, the uploads from a
# .tar.gz file. The database's tables are replaced; the uploads folder gets the backup's files
# back (files uploaded since are kept). Stop the app first (systemctl stop quattropole).
#
#   DATABASE_URL=postgres://… DJANGO_MEDIA_ROOT=/srv/quattropole/media \
#   deploy/restore.sh /var/backups/quattropole/database-….dump /var/backups/quattropole/media-….tar.gz
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
: "${DJANGO_MEDIA_ROOT:?DJANGO_MEDIA_ROOT must name the uploads folder}"
dump=${1:?give the database-….dump file}
media=${2:?give the media-….tar.gz file}
[ -f "$dump" ] || { echo "No such file: $dump" >&2; exit 1; }
[ -f "$media" ] || { echo "No such file: $media" >&2; exit 1; }

pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$DATABASE_URL" "$dump"
mkdir -p "$DJANGO_MEDIA_ROOT"
tar --extract --gzip --file="$media" --directory="$DJANGO_MEDIA_ROOT"
echo "Restored the database from $dump and the uploads from $media."
