#!/bin/sh
# fetch.sh DIR: downloads, with the ordinary package clients, the packages
# password/internal/gen reads with -raw DIR, and unpacks them there:
#
#	DIR/deb/usr/share/hunspell/{ru_RU,kk_KZ,uk_UA}.{dic,aff}
#	DIR/npm/zxcvbn-ts-language-<pack>-<version>/package/...
#
# Versions are pinned; SOURCES.md in ../wordlist names them and their
# licences. Needs apt (after apt-get update) and npm.
set -eu
raw=${1:?usage: fetch.sh DIR}
mkdir -p "$raw/deb" "$raw/npm"
cd "$raw"
apt-get download hunspell-ru=1:7.5.0-1 hunspell-kk=1.1-3 hunspell-uk=1:7.5.0-1
for f in hunspell-*.deb; do dpkg -x "$f" deb; done
cd npm
for p in common@4.1.3 en@4.1.1 de@3.0.2 fr@4.1.2 es-es@4.1.2 it@3.0.2 pt-br@4.1.1 nl-be@3.0.2 pl@3.0.2 cs@3.0.1 fi@3.0.2 id@4.1.1; do
	npm pack "@zxcvbn-ts/language-$p" >/dev/null
done
for f in zxcvbn-ts-language-*.tgz; do
	d=${f%.tgz}
	mkdir -p "$d"
	tar xzf "$f" -C "$d"
done
