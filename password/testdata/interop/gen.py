#!/usr/bin/env python3
"""Regenerate the interop vectors in this directory.

Needs the Debian packages argon2 (reference implementation CLI) and
apache2-utils (htpasswd). Run from this directory:  python3 gen.py
Output is deterministic for argon2 (fixed salts); htpasswd draws a fresh salt,
so bcrypt.json changes on every run (any output of the tool is a valid vector).
"""
import json, subprocess

def argon2(password, salt, *args):
    out = subprocess.run(["argon2", salt, *args, "-e"], input=password.encode(),
                         capture_output=True, check=True).stdout.decode().strip()
    return {"password": password, "salt": salt, "args": " ".join(args), "encoded": out}

A = []
A.append(argon2("password", "somesaltsomesalt", "-id", "-t", "2", "-k", "19456", "-p", "1", "-l", "32"))
A.append(argon2("password", "somesalt", "-id", "-t", "2", "-m", "14", "-p", "4", "-l", "24"))
A.append(argon2("correct horse battery staple", "0123456789abcdef", "-id", "-t", "1", "-k", "47104", "-p", "1", "-l", "32"))
A.append(argon2("Qwerty123!", "saltysaltysalty!", "-id", "-t", "5", "-k", "7168", "-p", "1", "-l", "16"))
A.append(argon2("Қазақстан2026!", "saltsaltsaltsalt", "-id", "-t", "2", "-k", "19456", "-p", "1", "-l", "32"))
A.append(argon2("пароль йцукен", "saltsaltsaltsalt", "-id", "-t", "3", "-k", "12288", "-p", "2", "-l", "64"))
A.append(argon2("x" * 120, "a-48-byte-salt-a-48-byte-salt-a-48-byte-salt-xx", "-id", "-t", "2", "-k", "1024", "-p", "1", "-l", "12"))
A.append(argon2("p", "8bytesal", "-id", "-t", "1", "-k", "64", "-p", "8", "-l", "32"))
# NFKC: this package hashes NFKC(password). "nfkc" vectors are the tool's hash of
# the normalised form and must verify when the raw form is typed; "raw" vectors
# are the tool's hash of the raw bytes, which do not verify here (see
# Hasher.VerifyContext: the documented cost of normalising).
import unicodedata
NFKC_INPUTS = ["\uff30\uff41\uff53\uff53\uff12\uff10\uff12\uff16",  # full-width "Pass2026"
               "\u0418\u0306\u043e\u0448\u043a\u0430\u0440-\u041e\u043b\u0430",  # decomposed "Йошкар-Ола"
               "\ufb01rewall\u2460"]  # ligature fi, circled 1
nfkc, raw = [], []
for i, pw in enumerate(NFKC_INPUTS):
    v = argon2(unicodedata.normalize("NFKC", pw), "nfkcsaltnfkcsalt", "-id", "-t", "1", "-k", "256", "-p", "1", "-l", "32")
    v["password"] = pw
    nfkc.append(v)
    raw.append(argon2(pw, "nfkcsaltnfkcsalt", "-id", "-t", "1", "-k", "256", "-p", "1", "-l", "32"))
unsupported = [
    argon2("password", "somesaltsomesalt", "-i", "-t", "2", "-k", "1024", "-p", "1"),
    argon2("password", "somesaltsomesalt", "-d", "-t", "2", "-k", "1024", "-p", "1"),
    argon2("password", "somesaltsomesalt", "-id", "-t", "2", "-k", "1024", "-p", "1", "-v", "10"),
]
with open("argon2.json", "w") as f:
    json.dump({"tool": "argon2 (Debian package argon2 0~20171227-0.3+deb12u1, reference implementation)",
               "verify": A, "unsupported": unsupported, "nfkc": nfkc, "raw": raw},
              f, ensure_ascii=False, indent=1)
    f.write("\n")

def htpasswd(password, cost):
    out = subprocess.run(["htpasswd", "-nbB", "-C", str(cost), "user", password],
                         capture_output=True, check=True).stdout.decode().strip()
    return {"password": password, "cost": cost, "encoded": out.split(":", 1)[1]}

B = [htpasswd("password", 4), htpasswd("Qwerty123!", 5), htpasswd("Қазақстан2026!", 4),
     htpasswd("correct horse battery staple", 6),
     # 80 bytes: bcrypt reads only the first 72.
     htpasswd("0123456789" * 8, 4),
     # 40 Cyrillic letters = 80 bytes: only the first 36 letters count.
     htpasswd("ж" * 40, 4)]
with open("bcrypt.json", "w") as f:
    json.dump({"tool": "htpasswd -nbB -C <cost> user <password> (Debian package apache2-utils 2.4.71-1~deb12u1)",
               "verify": B}, f, ensure_ascii=False, indent=1)
    f.write("\n")
