#!/usr/bin/env bash
# Back up the QuattroPole events site: the database (pg_dump, custom format) and the uploads
# (posters, photos) into BACKUP_DIR, one pair of files per run, keeping KEEP_DAYS days.
#
#   DATABASE_URL=postgres://… DJANGO_MEDIA_ROOT=/srv/quattropole/media \
#   BACKUP_DIR=/var/backups/quattropole deploy/backup.sh
#
# Restore with deploy/restore.sh. Copy BACKUP_DIR to another machine as well: a backup on the
# same disk does not survive the disk.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
: "${DJANGO_MEDIA_ROOT:?DJANGO_MEDIA_ROOT must name the uploads folder}"
: "${BACKUP_DIR:?BACKUP_DIR must name the folder the backups go to}"
KEEP_DAYS=${KEEP_DAYS:-30}
stamp=$(date +%Y-%m-%dT%H%M%S)

mkdir -p "$BACKUP_DIR"
umask 077
pg_dump --format=custom --no-owner --file="$BACKUP_DIR/database-$stamp.dump.partial" "$DATABASE_URL"
mv "$BACKUP_DIR/database-$stamp.dump.partial" "$BACKUP_DIR/database-$stamp.dump"
tar --create --gzip --file="$BACKUP_DIR/media-$stamp.tar.gz.partial" --directory="$DJANGO_MEDIA_ROOT" .
mv "$BACKUP_DIR/media-$stamp.tar.gz.partial" "$BACKUP_DIR/media-$stamp.tar.gz"

find "$BACKUP_DIR" -maxdepth 1 \( -name 'database-*.dump' -o -name 'media-*.tar.gz' \) -mtime "+$KEEP_DAYS" -delete
echo "Backed up to $BACKUP_DIR/database-$stamp.dump and $BACKUP_DIR/media-$stamp.tar.gz"
