import zipfile, tarfile, io, os, gzip
F='/work/wt/fuzz/parsers/fuzz/corpus'
for d in ('zip_names','tar_scan','canonical_path'): os.makedirs(f'{F}/{d}', exist_ok=True)
def z(stored):
    b=io.BytesIO()
    with zipfile.ZipFile(b,'w',zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as zf:
        zf.writestr('Dump/data/data/com.android.providers.telephony/databases/mmssms.db', b'SQLite format 3\0'+b'a'*200)
        zf.writestr('Dump/data/', b'')
        zf.writestr('../evil', b'x')
    return b.getvalue()
def t(gz):
    b=io.BytesIO()
    with tarfile.open(fileobj=b, mode='w:gz' if gz else 'w', format=tarfile.PAX_FORMAT) as tf:
        for n,data in [('private/var/mobile/Library/SMS/sms.db', b'SQLite format 3\0'+b'b'*300), ('x/'+'long'*60, b'y')]:
            ti=tarfile.TarInfo(n); ti.size=len(data); tf.addfile(ti, io.BytesIO(data))
    return b.getvalue()
open(f'{F}/zip_names/stored','wb').write(z(True))
open(f'{F}/zip_names/deflate','wb').write(z(False))
open(f'{F}/tar_scan/tar','wb').write(b'\0'+t(False))
open(f'{F}/tar_scan/targz','wb').write(b'\1'+t(True))
open(f'{F}/tar_scan/zip','wb').write(b'\2'+z(False))
for i,p in enumerate(["Dump/data/data/com.whatsapp/databases/msgstore.db","filesystem2/mobile/Library/SMS/sms.db","C:\\x\\var\\mobile\\a","a/./b/../filesystem2/data/user/0/x","data_mirror/data_ce/null/0/p"]):
    open(f'{F}/canonical_path/{i}','w').write(p)
