import sqlite3, os, shutil, struct
out_db = '/work/wt/fuzz/parsers/fuzz/corpus/db_image'
out_wal = '/work/wt/fuzz/parsers/fuzz/corpus/wal_replay'
os.makedirs(out_db, exist_ok=True); os.makedirs(out_wal, exist_ok=True)
def build(name, ps, schema, live, walst):
    d = f'/tmp/seeds/{name}'; shutil.rmtree(d, ignore_errors=True); os.makedirs(d)
    p = d + '/db'
    c = sqlite3.connect(p, isolation_level=None)
    c.execute(f'pragma page_size={ps}'); c.execute('pragma journal_mode=wal'); c.execute('pragma wal_autocheckpoint=0')
    c.executescript(schema)
    c.execute('begin');
    for s in live: c.execute(s)
    c.execute('commit'); c.execute('pragma wal_checkpoint(TRUNCATE)')
    c.execute('begin')
    for s in walst: c.execute(s)
    c.execute('commit')
    main = open(p,'rb').read(); wal = open(p+'-wal','rb').read() if os.path.exists(p+'-wal') else b''
    c.close()
    return main, wal
def pack(mode, main, wal):
    rest = main + wal; L = len(rest); m = len(main)
    n = 0 if L == 0 else -(-m*65535 // L)
    n = min(n, 65535)
    while n > 0 and (n*L)//65535 > m: n -= 1
    assert (n*L)//65535 == m, (n, L, m)
    return bytes([mode]) + struct.pack('<H', n) + rest
seeds = [
 ('sms', 512, "create table sms(_id integer primary key, address text, body text, date integer, type integer); create index i on sms(date);",
   [f"insert into sms values({i}, '0770090{i:04d}', '{'x'*(i*37)}', {i*1000}, 1)" for i in range(1,12)],
   ["insert into sms values(100,'07700900100','wal row',5,2)", "update sms set body='changed' where _id=3", "delete from sms where _id=5"]),
 ('chat', 1024, "create table message(ROWID integer primary key autoincrement, text text, attributedBody blob, date integer); create table handle(ROWID integer primary key, id text unique); create table w(a primary key,b) without rowid;",
   [f"insert into message(text, attributedBody, date) values('m{i}', x'{os.urandom(50).hex()}', {i})" for i in range(30)] + ["insert into handle values(1,'+447700900123')", "insert into w values(1,2)"],
   ["insert into message(text,date) values('late', 9)", "alter table message add column extra text"]),
 ('empty', 4096, "create table t(x);", [], ["insert into t values(zeroblob(9000))"]),
]
for name, ps, schema, live, walst in seeds:
    main, wal = build(name, ps, schema, live, walst)
    for mode in (0, 4):
        open(f'{out_db}/{name}_{mode}', 'wb').write(pack(mode, main, wal))
    open(f'{out_db}/{name}_nowal', 'wb').write(pack(2, main, b''))
    open(f'{out_wal}/{name}', 'wb').write(bytes([0]) + pack(0, main, wal)[1:])
    open(f'{out_wal}/{name}_fix', 'wb').write(bytes([1]) + pack(0, main, wal)[1:])
    print(name, len(main), len(wal))
