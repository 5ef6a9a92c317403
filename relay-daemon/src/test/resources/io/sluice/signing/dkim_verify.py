# Verifies every DKIM-Signature of a message with python3-dkim (Debian's package), an independent implementation.
# usage: dkim_verify.py MESSAGE_FILE NAME=TXT_FILE...   (NAME: selector._domainkey.domain; the TXT record to serve)
# Prints one line per signature, "pass N" or "fail N", and exits 1 when any fails or there is none.
import sys
import dkim

message = open(sys.argv[1], "rb").read()
records = {}
for arg in sys.argv[2:]:
    name, path = arg.split("=", 1)
    records[name.lower()] = open(path, "rb").read().strip()


def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode()
    return records.get(name.rstrip(".").lower())


header = message.split(b"\r\n\r\n", 1)[0]
count = sum(1 for line in header.split(b"\r\n") if line.lower().startswith(b"dkim-signature:"))
d = dkim.DKIM(message)
ok = count > 0
for i in range(count):
    good = d.verify(idx=i, dnsfunc=dnsfunc)
    print(("pass" if good else "fail") + " " + str(i))
    ok = ok and good
sys.exit(0 if ok else 1)
