-- A registry as pledger 0.2 left it (schema 11, made by commit 872dc7a):
-- one receivable registered with its debtors listed 914403001922038216
-- then 91440101MA5CYX0X2H and its contract number typed with en dashes
-- (HT–2026–001), and one submitted with the same debtors and the
-- contract number ht－2026−002 (a full-width hyphen, a minus sign).
-- Their keys were made the old way: the first-listed debtor and the
-- contract number with only case and spaces folded.
-- Loaded by bindings/python/tests/test_right_keys.py.
BEGIN TRANSACTION;
CREATE TABLE application (  id INTEGER PRIMARY KEY,  uuid TEXT NOT NULL UNIQUE,  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 7),  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 9),  document TEXT NOT NULL,  doc_hash TEXT NOT NULL,  pledgor_name TEXT, pledgor_key TEXT, pledgor_id TEXT,  pledgee_name TEXT, pledgee_key TEXT, pledgee_id TEXT,  amount INTEGER, currency TEXT,  created_at INTEGER NOT NULL, created_by TEXT NOT NULL,  updated_at INTEGER NOT NULL,  submitted_at INTEGER,  office TEXT, acceptance_number TEXT UNIQUE, accepted_at INTEGER, accepted_by TEXT,  correction_note TEXT, correction_requested_at INTEGER, correction_due INTEGER,  decided_at INTEGER, decided_by TEXT, refusal_ground TEXT, decision_note TEXT,  withdrawn_reason TEXT,  journal_seq INTEGER NOT NULL, origin TEXT, reported_state INTEGER, office_number TEXT, office_certificate TEXT) STRICT;
INSERT INTO "application" VALUES(1,'5d708995-3093-4940-917f-4fd58b95330b',3,6,'<?xml version="1.0" encoding="UTF-8"?>
<application xmlns="urn:pledger:1" kind="receivable" version="1">
  <pledgor type="organisation">
    <name>福建闽江食品有限公司</name>
    <id type="uscc">91350100M000100Y43</id>
    <address>福建省福州市鼓楼区五四路100号</address>
    <contact>0591-87654321</contact>
    <legal_representative>陈明</legal_representative>
    <country>CN</country>
  </pledgor>
  <pledgee type="organisation">
    <name>深圳前海商业银行股份有限公司</name>
    <id type="uscc">914403001922038216</id>
    <address>广东省深圳市南山区前海大道1号</address>
    <contact>0755-12345678</contact>
    <legal_representative>李华</legal_representative>
    <country>CN</country>
  </pledgee>
  <rights>
    <receivable>
      <description>供货款应收账款一</description>
      <debtors>
        <party type="organisation">
          <name>深圳市前海超市连锁有限公司</name>
          <id type="uscc">914403001922038216</id>
          <country>CN</country>
        </party>
        <party type="organisation">
          <name>广州天河物流有限公司</name>
          <id type="uscc">91440101MA5CYX0X2H</id>
          <country>CN</country>
        </party>
      </debtors>
      <amount currency="CNY">125000000</amount>
      <due_date>2027-12-31</due_date>
      <contract_number>HT–2026–001</contract_number>
    </receivable>
  </rights>
  <claim>
    <type>loan</type>
    <amount currency="CNY">100000000</amount>
    <performance_start>2026-06-01</performance_start>
    <performance_end>2027-05-31</performance_end>
    <main_contract_number>QHB-2024-LD-0501</main_contract_number>
  </claim>
  <period>
    <start>2026-06-01</start>
    <end>2056-05-31</end>
  </period>
  <contract>
    <number>QHB-2024-YSZY-0501</number>
    <date>2024-03-25</date>
    <language>zh</language>
    <guarantee_scope>主债权本金及利息</guarantee_scope>
    <clauses>parties addresses claim deadline rights scope</clauses>
  </contract>
  <materials>
    <material kind="pledge_contract">
      <file_name>应收账款质押合同.pdf</file_name>
      <size>210000</size>
      <sha256>6666666666666666666666666666666666666666666666666666666666666666</sha256>
      <language>zh</language>
    </material>
    <material kind="main_contract">
      <file_name>流动资金借款合同.pdf</file_name>
      <size>330000</size>
      <sha256>7777777777777777777777777777777777777777777777777777777777777777</sha256>
      <language>zh</language>
    </material>
  </materials>
  <filing>
    <online>true</online>
    <joint>false</joint>
  </filing>
</application>
','264fbed5eb550537d997e8d44e10e3aadc9f204b7abfda641c8a9dbbf559bdf9','福建闽江食品有限公司','福建闽江食品','91350100M000100Y43','深圳前海商业银行股份有限公司','深圳前海商业银行','914403001922038216',100000000,'CNY',1780279200000000,'applicant-1',1780279200000000,1780279200000000,'FZ01','A-FZ01-AR-2026-000001',1780279200000000,'clerk-1',NULL,NULL,NULL,1780279200000000,'registrar-1',NULL,NULL,NULL,5,NULL,NULL,NULL,NULL);
INSERT INTO "application" VALUES(2,'1b251057-973f-40b7-935e-1056ac4372a1',3,3,'<?xml version="1.0" encoding="UTF-8"?>
<application xmlns="urn:pledger:1" kind="receivable" version="1">
  <pledgor type="organisation">
    <name>福建闽江食品有限公司</name>
    <id type="uscc">91350100M000100Y43</id>
    <address>福建省福州市鼓楼区五四路100号</address>
    <contact>0591-87654321</contact>
    <legal_representative>陈明</legal_representative>
    <country>CN</country>
  </pledgor>
  <pledgee type="organisation">
    <name>深圳前海商业银行股份有限公司</name>
    <id type="uscc">914403001922038216</id>
    <address>广东省深圳市南山区前海大道1号</address>
    <contact>0755-12345678</contact>
    <legal_representative>李华</legal_representative>
    <country>CN</country>
  </pledgee>
  <rights>
    <receivable>
      <description>供货款应收账款二</description>
      <debtors>
        <party type="organisation">
          <name>深圳市前海超市连锁有限公司</name>
          <id type="uscc">914403001922038216</id>
          <country>CN</country>
        </party>
        <party type="organisation">
          <name>广州天河物流有限公司</name>
          <id type="uscc">91440101MA5CYX0X2H</id>
          <country>CN</country>
        </party>
      </debtors>
      <amount currency="CNY">125000000</amount>
      <due_date>2027-12-31</due_date>
      <contract_number>ht－2026−002</contract_number>
    </receivable>
  </rights>
  <claim>
    <type>loan</type>
    <amount currency="CNY">100000000</amount>
    <performance_start>2026-06-01</performance_start>
    <performance_end>2027-05-31</performance_end>
    <main_contract_number>QHB-2024-LD-0501</main_contract_number>
  </claim>
  <period>
    <start>2026-06-01</start>
    <end>2056-05-31</end>
  </period>
  <contract>
    <number>QHB-2024-YSZY-0501</number>
    <date>2024-03-25</date>
    <language>zh</language>
    <guarantee_scope>主债权本金及利息</guarantee_scope>
    <clauses>parties addresses claim deadline rights scope</clauses>
  </contract>
  <materials>
    <material kind="pledge_contract">
      <file_name>应收账款质押合同.pdf</file_name>
      <size>210000</size>
      <sha256>6666666666666666666666666666666666666666666666666666666666666666</sha256>
      <language>zh</language>
    </material>
    <material kind="main_contract">
      <file_name>流动资金借款合同.pdf</file_name>
      <size>330000</size>
      <sha256>7777777777777777777777777777777777777777777777777777777777777777</sha256>
      <language>zh</language>
    </material>
  </materials>
  <filing>
    <online>true</online>
    <joint>false</joint>
  </filing>
</application>
','aaf4f6f3e19cc778d5a9c9a151db4096b9f513f8e6496343c0474acfc84c2fdf','福建闽江食品有限公司','福建闽江食品','91350100M000100Y43','深圳前海商业银行股份有限公司','深圳前海商业银行','914403001922038216',100000000,'CNY',1780365600000000,'applicant-1',1780365600000000,1780365600000000,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,8,NULL,NULL,NULL,NULL);
CREATE TABLE application_right (  application_id INTEGER NOT NULL REFERENCES application(id),  idx INTEGER NOT NULL,  right_key TEXT NOT NULL,  PRIMARY KEY (application_id, idx)) STRICT;
INSERT INTO "application_right" VALUES(1,1,'914403001922038216/HT–2026–001');
INSERT INTO "application_right" VALUES(2,1,'914403001922038216/HT-2026−002');
CREATE TABLE calendar_day (  day INTEGER PRIMARY KEY,  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),  name TEXT NOT NULL DEFAULT '') STRICT;
CREATE TABLE certificate (  pledge_id INTEGER NOT NULL REFERENCES pledge(id),  version INTEGER NOT NULL,  issued_at INTEGER NOT NULL,  superseded_at INTEGER,  verification_code TEXT NOT NULL,  document TEXT NOT NULL,  PRIMARY KEY (pledge_id, version)) STRICT;
INSERT INTO "certificate" VALUES(1,1,1780279200000000,NULL,'EG9A-WCJX-JHK7-2J7E','<?xml version="1.0" encoding="UTF-8"?>
<certificate xmlns="urn:pledger:1" version="1">
  <registration_number>R-FZ01-AR-2026-000001</registration_number>
  <version>1</version>
  <status>current</status>
  <kind>receivable</kind>
  <security>pledge</security>
  <pledgor>
    <name>福建闽江食品有限公司</name>
    <id type="uscc">91350100M000100Y43</id>
  </pledgor>
  <pledgee>
    <name>深圳前海商业银行股份有限公司</name>
    <id type="uscc">914403001922038216</id>
  </pledgee>
  <rights>
    <receivable>
      <identifier>914403001922038216/HT–2026–001</identifier>
    </receivable>
  </rights>
  <amount currency="CNY">100000000</amount>
  <period>
    <start>2026-06-01</start>
    <end>2056-05-31</end>
  </period>
  <registered_at>2026-06-01T02:00:00Z</registered_at>
  <issued_at>2026-06-01T02:00:00Z</issued_at>
  <acceptance_number>A-FZ01-AR-2026-000001</acceptance_number>
  <application>5d708995-3093-4940-917f-4fd58b95330b</application>
  <verification_code>EG9A-WCJX-JHK7-2J7E</verification_code>
</certificate>
');
CREATE TABLE checkpoint (  size INTEGER NOT NULL CHECK (size >= 0),  signed_at INTEGER NOT NULL,  note TEXT NOT NULL,  PRIMARY KEY (size, signed_at)) STRICT;
CREATE TABLE exchange_batch (  id INTEGER PRIMARY KEY,  direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),  peer TEXT NOT NULL,  seq INTEGER NOT NULL CHECK (seq >= 1),  digest TEXT NOT NULL,  document TEXT,  items INTEGER NOT NULL,  created_at INTEGER NOT NULL,  receipt TEXT,  acked_at INTEGER,  journal_seq INTEGER NOT NULL,  UNIQUE (direction, peer, seq)) STRICT;
CREATE TABLE exchange_item (  batch_id INTEGER NOT NULL REFERENCES exchange_batch(id),  idx INTEGER NOT NULL,  application_id INTEGER NOT NULL REFERENCES application(id),  what TEXT NOT NULL CHECK (what IN ('application', 'correction', 'result')),  state INTEGER NOT NULL,  PRIMARY KEY (batch_id, idx)) STRICT;
CREATE TABLE filing_key (  actor TEXT NOT NULL,  key TEXT NOT NULL,  digest TEXT NOT NULL,  applications TEXT NOT NULL,  created_at INTEGER NOT NULL,  journal_seq INTEGER NOT NULL,  PRIMARY KEY (actor, key)) STRICT;
CREATE TABLE journal (  seq INTEGER PRIMARY KEY CHECK (seq >= 1),  at_us INTEGER NOT NULL,  actor TEXT NOT NULL,  role TEXT NOT NULL,  operation TEXT NOT NULL,  subject TEXT NOT NULL,  payload TEXT NOT NULL,  prev_hash BLOB NOT NULL,  hash BLOB NOT NULL) STRICT;
INSERT INTO "journal" VALUES(1,1780279200000000,'applicant-1','applicant','application.create','5d708995-3093-4940-917f-4fd58b95330b','{"application_id":1,"amount":100000000,"currency":"CNY","doc_hash":"264fbed5eb550537d997e8d44e10e3aadc9f204b7abfda641c8a9dbbf559bdf9","document":"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<application xmlns=\"urn:pledger:1\" kind=\"receivable\" version=\"1\">\n  <pledgor type=\"organisation\">\n    <name>福建闽江食品有限公司</name>\n    <id type=\"uscc\">91350100M000100Y43</id>\n    <address>福建省福州市鼓楼区五四路100号</address>\n    <contact>0591-87654321</contact>\n    <legal_representative>陈明</legal_representative>\n    <country>CN</country>\n  </pledgor>\n  <pledgee type=\"organisation\">\n    <name>深圳前海商业银行股份有限公司</name>\n    <id type=\"uscc\">914403001922038216</id>\n    <address>广东省深圳市南山区前海大道1号</address>\n    <contact>0755-12345678</contact>\n    <legal_representative>李华</legal_representative>\n    <country>CN</country>\n  </pledgee>\n  <rights>\n    <receivable>\n      <description>供货款应收账款一</description>\n      <debtors>\n        <party type=\"organisation\">\n          <name>深圳市前海超市连锁有限公司</name>\n          <id type=\"uscc\">914403001922038216</id>\n          <country>CN</country>\n        </party>\n        <party type=\"organisation\">\n          <name>广州天河物流有限公司</name>\n          <id type=\"uscc\">91440101MA5CYX0X2H</id>\n          <country>CN</country>\n        </party>\n      </debtors>\n      <amount currency=\"CNY\">125000000</amount>\n      <due_date>2027-12-31</due_date>\n      <contract_number>HT–2026–001</contract_number>\n    </receivable>\n  </rights>\n  <claim>\n    <type>loan</type>\n    <amount currency=\"CNY\">100000000</amount>\n    <performance_start>2026-06-01</performance_start>\n    <performance_end>2027-05-31</performance_end>\n    <main_contract_number>QHB-2024-LD-0501</main_contract_number>\n  </claim>\n  <period>\n    <start>2026-06-01</start>\n    <end>2056-05-31</end>\n  </period>\n  <contract>\n    <number>QHB-2024-YSZY-0501</number>\n    <date>2024-03-25</date>\n    <language>zh</language>\n    <guarantee_scope>主债权本金及利息</guarantee_scope>\n    <clauses>parties addresses claim deadline rights scope</clauses>\n  </contract>\n  <materials>\n    <material kind=\"pledge_contract\">\n      <file_name>应收账款质押合同.pdf</file_name>\n      <size>210000</size>\n      <sha256>6666666666666666666666666666666666666666666666666666666666666666</sha256>\n      <language>zh</language>\n    </material>\n    <material kind=\"main_contract\">\n      <file_name>流动资金借款合同.pdf</file_name>\n      <size>330000</size>\n      <sha256>7777777777777777777777777777777777777777777777777777777777777777</sha256>\n      <language>zh</language>\n    </material>\n  </materials>\n  <filing>\n    <online>true</online>\n    <joint>false</joint>\n  </filing>\n</application>\n","pledgee_id":"914403001922038216","pledgee_key":"深圳前海商业银行","pledgee_name":"深圳前海商业银行股份有限公司","pledgor_id":"91350100M000100Y43","pledgor_key":"福建闽江食品","pledgor_name":"福建闽江食品有限公司","rights":["914403001922038216/HT–2026–001"],"kind":3,"state":1,"uuid":"5d708995-3093-4940-917f-4fd58b95330b"}',X'0000000000000000000000000000000000000000000000000000000000000000',X'795F99664C2ABCAAA42213A033A9BBAC1605BEFBEF7CC6F9B2D8049D66C73A97');
INSERT INTO "journal" VALUES(2,1780279200000000,'applicant-1','applicant','application.review','5d708995-3093-4940-917f-4fd58b95330b','{"application_id":1,"blocking":0,"correctable":0,"doc_hash":"264fbed5eb550537d997e8d44e10e3aadc9f204b7abfda641c8a9dbbf559bdf9","findings":[],"notices":0,"review_id":1,"risks":0,"state":2}',X'795F99664C2ABCAAA42213A033A9BBAC1605BEFBEF7CC6F9B2D8049D66C73A97',X'DC0B978BE814FF0E89CC9555C2D0808526462AB200EEFFEC7118A260B09D3792');
INSERT INTO "journal" VALUES(3,1780279200000000,'applicant-1','applicant','application.submit','5d708995-3093-4940-917f-4fd58b95330b','{"application_id":1,"state":3}',X'DC0B978BE814FF0E89CC9555C2D0808526462AB200EEFFEC7118A260B09D3792',X'2E91BC45829166366412E65003AC1B608D55F690A6A144FAAA4E4D21222B26CD');
INSERT INTO "journal" VALUES(4,1780279200000000,'clerk-1','clerk','application.accept','5d708995-3093-4940-917f-4fd58b95330b','{"acceptance_number":"A-FZ01-AR-2026-000001","application_id":1,"office":"FZ01","sequence":{"name":"A","scope":"A-FZ01-AR-2026-","value":1},"state":4}',X'2E91BC45829166366412E65003AC1B608D55F690A6A144FAAA4E4D21222B26CD',X'4D540196E019931A089A0D271D205750A840ACA5E2D6B6E2465666CF38452E1C');
INSERT INTO "journal" VALUES(5,1780279200000000,'registrar-1','registrar','application.register','5d708995-3093-4940-917f-4fd58b95330b','{"application_id":1,"certificate":{"code":"EG9A-WCJX-JHK7-2J7E","document":"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<certificate xmlns=\"urn:pledger:1\" version=\"1\">\n  <registration_number>R-FZ01-AR-2026-000001</registration_number>\n  <version>1</version>\n  <status>current</status>\n  <kind>receivable</kind>\n  <security>pledge</security>\n  <pledgor>\n    <name>福建闽江食品有限公司</name>\n    <id type=\"uscc\">91350100M000100Y43</id>\n  </pledgor>\n  <pledgee>\n    <name>深圳前海商业银行股份有限公司</name>\n    <id type=\"uscc\">914403001922038216</id>\n  </pledgee>\n  <rights>\n    <receivable>\n      <identifier>914403001922038216/HT–2026–001</identifier>\n    </receivable>\n  </rights>\n  <amount currency=\"CNY\">100000000</amount>\n  <period>\n    <start>2026-06-01</start>\n    <end>2056-05-31</end>\n  </period>\n  <registered_at>2026-06-01T02:00:00Z</registered_at>\n  <issued_at>2026-06-01T02:00:00Z</issued_at>\n  <acceptance_number>A-FZ01-AR-2026-000001</acceptance_number>\n  <application>5d708995-3093-4940-917f-4fd58b95330b</application>\n  <verification_code>EG9A-WCJX-JHK7-2J7E</verification_code>\n</certificate>\n","version":1},"ground":null,"kind":3,"modcode_hash":"4eaa497d7b7dd0ee65be943c02c0395bc927a6989ac2ded861b3f56ae2eae3a1","modcode_salt":"ce6681cbe476033b0d89151c646ce832","note":null,"office":"FZ01","pledge_id":1,"registration_number":"R-FZ01-AR-2026-000001","rights":[{"classes":null,"identifier":"914403001922038216/HT–2026–001","key":"914403001922038216/HT–2026–001"}],"sequence":{"name":"R","scope":"R-FZ01-AR-2026-","value":1},"state":6,"v":{"amount":100000000,"currency":"CNY","debtor_id":null,"debtor_name":null,"litigation":0,"note":null,"objection_by":null,"objection_until":null,"operation":"register","period_end":31562,"period_start":20605,"pledgee_id":"914403001922038216","pledgee_id_type":"uscc","pledgee_key":"深圳前海商业银行","pledgee_name":"深圳前海商业银行股份有限公司","pledgor_id":"91350100M000100Y43","pledgor_id_type":"uscc","pledgor_key":"福建闽江食品","pledgor_name":"福建闽江食品有限公司","state":1,"version":1},"withdrawn_reason":null}',X'4D540196E019931A089A0D271D205750A840ACA5E2D6B6E2465666CF38452E1C',X'49C7F88512D1CCF95C7653DC0132AD2C38885AE1DAF721528F4166817106E375');
INSERT INTO "journal" VALUES(6,1780365600000000,'applicant-1','applicant','application.create','1b251057-973f-40b7-935e-1056ac4372a1','{"application_id":2,"amount":100000000,"currency":"CNY","doc_hash":"aaf4f6f3e19cc778d5a9c9a151db4096b9f513f8e6496343c0474acfc84c2fdf","document":"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<application xmlns=\"urn:pledger:1\" kind=\"receivable\" version=\"1\">\n  <pledgor type=\"organisation\">\n    <name>福建闽江食品有限公司</name>\n    <id type=\"uscc\">91350100M000100Y43</id>\n    <address>福建省福州市鼓楼区五四路100号</address>\n    <contact>0591-87654321</contact>\n    <legal_representative>陈明</legal_representative>\n    <country>CN</country>\n  </pledgor>\n  <pledgee type=\"organisation\">\n    <name>深圳前海商业银行股份有限公司</name>\n    <id type=\"uscc\">914403001922038216</id>\n    <address>广东省深圳市南山区前海大道1号</address>\n    <contact>0755-12345678</contact>\n    <legal_representative>李华</legal_representative>\n    <country>CN</country>\n  </pledgee>\n  <rights>\n    <receivable>\n      <description>供货款应收账款二</description>\n      <debtors>\n        <party type=\"organisation\">\n          <name>深圳市前海超市连锁有限公司</name>\n          <id type=\"uscc\">914403001922038216</id>\n          <country>CN</country>\n        </party>\n        <party type=\"organisation\">\n          <name>广州天河物流有限公司</name>\n          <id type=\"uscc\">91440101MA5CYX0X2H</id>\n          <country>CN</country>\n        </party>\n      </debtors>\n      <amount currency=\"CNY\">125000000</amount>\n      <due_date>2027-12-31</due_date>\n      <contract_number>ht－2026−002</contract_number>\n    </receivable>\n  </rights>\n  <claim>\n    <type>loan</type>\n    <amount currency=\"CNY\">100000000</amount>\n    <performance_start>2026-06-01</performance_start>\n    <performance_end>2027-05-31</performance_end>\n    <main_contract_number>QHB-2024-LD-0501</main_contract_number>\n  </claim>\n  <period>\n    <start>2026-06-01</start>\n    <end>2056-05-31</end>\n  </period>\n  <contract>\n    <number>QHB-2024-YSZY-0501</number>\n    <date>2024-03-25</date>\n    <language>zh</language>\n    <guarantee_scope>主债权本金及利息</guarantee_scope>\n    <clauses>parties addresses claim deadline rights scope</clauses>\n  </contract>\n  <materials>\n    <material kind=\"pledge_contract\">\n      <file_name>应收账款质押合同.pdf</file_name>\n      <size>210000</size>\n      <sha256>6666666666666666666666666666666666666666666666666666666666666666</sha256>\n      <language>zh</language>\n    </material>\n    <material kind=\"main_contract\">\n      <file_name>流动资金借款合同.pdf</file_name>\n      <size>330000</size>\n      <sha256>7777777777777777777777777777777777777777777777777777777777777777</sha256>\n      <language>zh</language>\n    </material>\n  </materials>\n  <filing>\n    <online>true</online>\n    <joint>false</joint>\n  </filing>\n</application>\n","pledgee_id":"914403001922038216","pledgee_key":"深圳前海商业银行","pledgee_name":"深圳前海商业银行股份有限公司","pledgor_id":"91350100M000100Y43","pledgor_key":"福建闽江食品","pledgor_name":"福建闽江食品有限公司","rights":["914403001922038216/HT-2026−002"],"kind":3,"state":1,"uuid":"1b251057-973f-40b7-935e-1056ac4372a1"}',X'49C7F88512D1CCF95C7653DC0132AD2C38885AE1DAF721528F4166817106E375',X'A854BBBA1D6CDFAA7E013FA64B0FC80A61A7643117712A87F6A55C76BE38A70A');
INSERT INTO "journal" VALUES(7,1780365600000000,'applicant-1','applicant','application.review','1b251057-973f-40b7-935e-1056ac4372a1','{"application_id":2,"blocking":0,"correctable":0,"doc_hash":"aaf4f6f3e19cc778d5a9c9a151db4096b9f513f8e6496343c0474acfc84c2fdf","findings":[],"notices":0,"review_id":2,"risks":0,"state":2}',X'A854BBBA1D6CDFAA7E013FA64B0FC80A61A7643117712A87F6A55C76BE38A70A',X'E70C834C9461FF819CE007026BAFB6B352EB0290B7A8BF5759F001DB37340E52');
INSERT INTO "journal" VALUES(8,1780365600000000,'applicant-1','applicant','application.submit','1b251057-973f-40b7-935e-1056ac4372a1','{"application_id":2,"state":3}',X'E70C834C9461FF819CE007026BAFB6B352EB0290B7A8BF5759F001DB37340E52',X'C42E02DF532E9DB4CF467C8A9C3853242628E4575100FCC902ABA8EB6B43627B');
CREATE TABLE journal_node (  pos INTEGER PRIMARY KEY CHECK (pos >= 0),  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63),  idx INTEGER NOT NULL CHECK (idx >= 0),  hash BLOB NOT NULL CHECK (length(hash) = 32)) STRICT;
INSERT INTO "journal_node" VALUES(0,0,0,X'28943E1A35598724555C490CADCB7331312C7A24AE0792423ED820E23ABBBFC5');
INSERT INTO "journal_node" VALUES(1,0,1,X'5D52681685A33DBD8350139C2AE57FF0EA1B48322EBEC43A079F30955C11DC5B');
INSERT INTO "journal_node" VALUES(2,1,0,X'349CE87D7ADD59D2C1B98CE378B89D419BD13D3EB81A4049DCC731AB05B48B15');
INSERT INTO "journal_node" VALUES(3,0,2,X'EA1E4C50C09B350D50F5F212036B18FFF92615495DFC00B525B3F8F098B2F71A');
INSERT INTO "journal_node" VALUES(4,0,3,X'484D4F272EFF3D500F2364CA8182EF54D1E0169D89B1560BFEFB729EE41D13D1');
INSERT INTO "journal_node" VALUES(5,1,1,X'418B6CF1703FC65B4C4AA656E49BDF8E33D1D4EE32EEE47172DC35250C5CD66C');
INSERT INTO "journal_node" VALUES(6,2,0,X'1307DC919BBAC9301785C8D32989821BC2D53B51097ED86ADFCBEDC0F55311CC');
INSERT INTO "journal_node" VALUES(7,0,4,X'3CDDDD912BCB4D60BFB6CC5736D9014C62826107245FF1A42A96C3B2A9CD7760');
INSERT INTO "journal_node" VALUES(8,0,5,X'56412FB1DBCB1C9EB6823A2EFA629DC6917FA656A401D5299465CC1B497031AF');
INSERT INTO "journal_node" VALUES(9,1,2,X'72FCF5FEB47E9392C29C179B5C34E419C9D05FF7770D28E5BD264022A5582918');
INSERT INTO "journal_node" VALUES(10,0,6,X'E76B00601D5E91D5DAEA5600CA6CE234E383430F46A3BFF25EA597ECDEC92DF7');
INSERT INTO "journal_node" VALUES(11,0,7,X'39E7754B752C27CCC14EE84C001D2E16CBF06827566A7CD6F146B81797DE356E');
INSERT INTO "journal_node" VALUES(12,1,3,X'BFBDEFF409D64D31FFC9D00ED0A042E8D79B375660590187CA9EA4DF3BFA182E');
INSERT INTO "journal_node" VALUES(13,2,1,X'71408F85235D414AC1C8E988F8429C72025CD13C33A54B4271767F9329CA597E');
INSERT INTO "journal_node" VALUES(14,3,0,X'E39708F2E116924F8853E8E2A3E2996EA9966A5F469A4F6C79A38B0269666DE4');
CREATE TABLE meta (  key TEXT PRIMARY KEY,  value TEXT NOT NULL) STRICT;
INSERT INTO "meta" VALUES('default_office','FZ01');
INSERT INTO "meta" VALUES('journal_hash','sha256');
INSERT INTO "meta" VALUES('utc_offset_minutes','480');
INSERT INTO "meta" VALUES('number_template','{series}-{office}-{kind}-{year}-{seq:6}');
CREATE TABLE party_name (  id INTEGER PRIMARY KEY,  pledge_id INTEGER NOT NULL,  version INTEGER NOT NULL,  side INTEGER NOT NULL CHECK (side = 1 OR side = 2),  core TEXT NOT NULL,  branch INTEGER NOT NULL CHECK (branch IN (0, 1)),  UNIQUE (pledge_id, version, side)) STRICT;
INSERT INTO "party_name" VALUES(1,1,1,1,'闽江食品',0);
INSERT INTO "party_name" VALUES(2,1,1,2,'前海商业银行',0);
CREATE TABLE pledge (  id INTEGER PRIMARY KEY,  registration_number TEXT NOT NULL UNIQUE,  application_id INTEGER NOT NULL UNIQUE REFERENCES application(id),  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 7),  registered_at INTEGER NOT NULL,  office TEXT NOT NULL,  modcode_salt TEXT, modcode_hash TEXT) STRICT;
INSERT INTO "pledge" VALUES(1,'R-FZ01-AR-2026-000001',1,3,1780279200000000,'FZ01','ce6681cbe476033b0d89151c646ce832','4eaa497d7b7dd0ee65be943c02c0395bc927a6989ac2ded861b3f56ae2eae3a1');
CREATE TABLE pledge_right (  pledge_id INTEGER NOT NULL REFERENCES pledge(id),  idx INTEGER NOT NULL,  kind INTEGER NOT NULL,  right_key TEXT NOT NULL,  identifier TEXT NOT NULL,  classes TEXT,  PRIMARY KEY (pledge_id, idx)) STRICT;
INSERT INTO "pledge_right" VALUES(1,1,3,'914403001922038216/HT–2026–001','914403001922038216/HT–2026–001',NULL);
CREATE TABLE pledge_version (  pledge_id INTEGER NOT NULL REFERENCES pledge(id),  version INTEGER NOT NULL CHECK (version >= 1),  valid_from INTEGER NOT NULL,  valid_to INTEGER,  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 5),  operation TEXT NOT NULL,  pledgor_name TEXT NOT NULL, pledgor_key TEXT NOT NULL,  pledgor_id_type TEXT NOT NULL, pledgor_id TEXT NOT NULL,  pledgee_name TEXT NOT NULL, pledgee_key TEXT NOT NULL,  pledgee_id_type TEXT NOT NULL, pledgee_id TEXT NOT NULL,  debtor_name TEXT, debtor_id TEXT,  amount INTEGER NOT NULL CHECK (amount >= 0), currency TEXT NOT NULL,  period_start INTEGER NOT NULL, period_end INTEGER NOT NULL,  objection_by TEXT, objection_until INTEGER, litigation INTEGER NOT NULL DEFAULT 0,  note TEXT,  journal_seq INTEGER NOT NULL,  PRIMARY KEY (pledge_id, version),  CHECK (valid_to IS NULL OR valid_to >= valid_from),  CHECK (period_start <= period_end)) STRICT;
INSERT INTO "pledge_version" VALUES(1,1,1780279200000000,NULL,1,'register','福建闽江食品有限公司','福建闽江食品','uscc','91350100M000100Y43','深圳前海商业银行股份有限公司','深圳前海商业银行','uscc','914403001922038216',NULL,NULL,100000000,'CNY',20605,31562,NULL,NULL,0,NULL,5);
CREATE TABLE ref_allowance (  right_id INTEGER NOT NULL REFERENCES ref_right(id) ON DELETE CASCADE,  pollutant TEXT NOT NULL,  amount_micro INTEGER NOT NULL CHECK (amount_micro >= 0),  unit TEXT NOT NULL,  PRIMARY KEY (right_id, pollutant)) STRICT, WITHOUT ROWID;
CREATE TABLE ref_holding (  id INTEGER PRIMARY KEY,  company TEXT NOT NULL,  company_name TEXT,  shareholder_type INTEGER NOT NULL CHECK (shareholder_type BETWEEN 1 AND 4),  shareholder TEXT NOT NULL,  shareholder_name TEXT NOT NULL,  shareholder_key TEXT NOT NULL,  capital INTEGER NOT NULL CHECK (capital >= 0),  currency TEXT NOT NULL CHECK (length(currency) = 3),  frozen INTEGER NOT NULL CHECK (frozen IN (0, 1)),  digest BLOB NOT NULL CHECK (length(digest) = 32),  changed_at INTEGER NOT NULL, shareholder_name_en TEXT, shareholder_en_key TEXT,  UNIQUE (company, shareholder, shareholder_type)) STRICT;
CREATE TABLE ref_import_seen (  kind INTEGER NOT NULL,  number TEXT NOT NULL,  line INTEGER NOT NULL,  PRIMARY KEY (kind, number)) STRICT, WITHOUT ROWID;
CREATE TABLE ref_owner (  right_id INTEGER NOT NULL REFERENCES ref_right(id) ON DELETE CASCADE,  pos INTEGER NOT NULL CHECK (pos >= 1),  name TEXT NOT NULL,  name_key TEXT NOT NULL,  id_type INTEGER NOT NULL CHECK (id_type BETWEEN 1 AND 4),  id_number TEXT NOT NULL, name_en TEXT, name_en_key TEXT,  PRIMARY KEY (right_id, pos)) STRICT, WITHOUT ROWID;
CREATE TABLE ref_patent (  right_id INTEGER PRIMARY KEY REFERENCES ref_right(id) ON DELETE CASCADE,  patent_type INTEGER NOT NULL CHECK (patent_type BETWEEN 1 AND 3),  filing_date INTEGER NOT NULL,  grant_date INTEGER CHECK (grant_date >= filing_date),  fee_paid INTEGER NOT NULL CHECK (fee_paid IN (0, 1)),  invalidation_pending INTEGER NOT NULL CHECK (invalidation_pending IN (0, 1)),  suspended INTEGER NOT NULL CHECK (suspended IN (0, 1)),  twin TEXT) STRICT;
CREATE TABLE ref_right (  id INTEGER PRIMARY KEY,  kind INTEGER NOT NULL CHECK (kind = 1 OR kind = 2 OR kind BETWEEN 5 AND 7),  number TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 64),  status TEXT NOT NULL CHECK (status = 'registered' OR status = 'cancelled'    OR status = 'invalidated' OR status = 'expired' OR status = 'terminated'    OR status = 'not_granted' OR status = 'granted'),  valid_from INTEGER,  valid_to INTEGER CHECK (valid_to >= valid_from),  seized INTEGER NOT NULL CHECK (seized IN (0, 1)),  frozen INTEGER NOT NULL CHECK (frozen IN (0, 1)),  digest BLOB NOT NULL CHECK (length(digest) = 32),  changed_at INTEGER NOT NULL,  UNIQUE (kind, number)) STRICT;
CREATE TABLE ref_trademark (  right_id INTEGER PRIMARY KEY REFERENCES ref_right(id) ON DELETE CASCADE,  mark TEXT,  mark_key TEXT,  family TEXT) STRICT;
CREATE TABLE ref_trademark_class (  right_id INTEGER NOT NULL REFERENCES ref_right(id) ON DELETE CASCADE,  nice INTEGER NOT NULL CHECK (nice BETWEEN 1 AND 45),  PRIMARY KEY (right_id, nice)) STRICT, WITHOUT ROWID;
CREATE TABLE ref_trademark_group (  right_id INTEGER NOT NULL REFERENCES ref_right(id) ON DELETE CASCADE,  code TEXT NOT NULL CHECK (length(code) = 4),  PRIMARY KEY (right_id, code)) STRICT, WITHOUT ROWID;
CREATE TABLE review (  id INTEGER PRIMARY KEY,  application_id INTEGER NOT NULL REFERENCES application(id),  at_us INTEGER NOT NULL,  actor TEXT NOT NULL,  doc_hash TEXT NOT NULL,  blocking INTEGER NOT NULL,  correctable INTEGER NOT NULL,  risks INTEGER NOT NULL,  notices INTEGER NOT NULL,  findings TEXT NOT NULL) STRICT;
INSERT INTO "review" VALUES(1,1,1780279200000000,'applicant-1','264fbed5eb550537d997e8d44e10e3aadc9f204b7abfda641c8a9dbbf559bdf9',0,0,0,0,'[]');
INSERT INTO "review" VALUES(2,2,1780365600000000,'applicant-1','aaf4f6f3e19cc778d5a9c9a151db4096b9f513f8e6496343c0474acfc84c2fdf',0,0,0,0,'[]');
CREATE TABLE sequence (  name TEXT NOT NULL,  scope TEXT NOT NULL,  next INTEGER NOT NULL CHECK (next >= 1),  PRIMARY KEY (name, scope)) STRICT;
INSERT INTO "sequence" VALUES('A','A-FZ01-AR-2026-',2);
INSERT INTO "sequence" VALUES('R','R-FZ01-AR-2026-',2);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE INDEX application_state ON application(state);
CREATE INDEX application_right_key ON application_right(right_key);
CREATE INDEX review_application ON review(application_id, id);
CREATE INDEX pledge_registered ON pledge(registered_at, id);
CREATE UNIQUE INDEX pledge_version_current ON pledge_version(pledge_id)   WHERE valid_to IS NULL;
CREATE INDEX pledge_version_pledgor ON pledge_version(pledgor_id, valid_from);
CREATE INDEX pledge_version_pledgee ON pledge_version(pledgee_id, valid_from);
CREATE INDEX pledge_version_pledgor_key ON pledge_version(pledgor_key);
CREATE INDEX pledge_version_pledgee_key ON pledge_version(pledgee_key);
CREATE INDEX pledge_version_period_end ON pledge_version(period_end)   WHERE valid_to IS NULL;
CREATE INDEX pledge_right_key ON pledge_right(kind, right_key);
CREATE INDEX ref_owner_id ON ref_owner(id_number, id_type, right_id);
CREATE INDEX ref_trademark_family ON ref_trademark(family) WHERE family IS NOT NULL;
CREATE INDEX ref_trademark_mark ON ref_trademark(mark_key) WHERE mark_key IS NOT NULL;
CREATE INDEX ref_holding_shareholder ON ref_holding(shareholder, shareholder_type);
CREATE INDEX pledge_version_pledgor_first  ON pledge_version(pledgor_id, valid_from, pledge_id) WHERE version = 1;
CREATE INDEX pledge_version_pledgee_first  ON pledge_version(pledgee_id, valid_from, pledge_id) WHERE version = 1;
CREATE INDEX pledge_kind_registered ON pledge(kind, registered_at);
CREATE INDEX pledge_version_in_force_end  ON pledge_version(period_end) WHERE state IN (1, 5);
CREATE INDEX pledge_version_objection  ON pledge_version(objection_until) WHERE state = 5;
CREATE INDEX pledge_version_operation ON pledge_version(operation, valid_from);
CREATE INDEX party_name_core ON party_name(core);
CREATE INDEX party_name_tail2 ON party_name(substr(core, 3)) WHERE length(core) >= 6;
CREATE INDEX party_name_tail3 ON party_name(substr(core, 4)) WHERE length(core) >= 7;
CREATE TRIGGER pledge_version_name_insert AFTER INSERT ON pledge_version BEGIN  INSERT INTO party_name(pledge_id, version, side, core, branch) VALUES    (new.pledge_id, new.version, 1, pl_name_core(new.pledgor_name),     pl_name_branch(new.pledgor_name)),    (new.pledge_id, new.version, 2, pl_name_core(new.pledgee_name),     pl_name_branch(new.pledgee_name));END;
CREATE TRIGGER pledge_version_name_delete AFTER DELETE ON pledge_version BEGIN  DELETE FROM party_name WHERE pledge_id = old.pledge_id AND version = old.version;END;
CREATE INDEX ref_owner_en ON ref_owner(name_en_key, id_number, id_type)  WHERE name_en_key IS NOT NULL;
CREATE INDEX ref_holding_en ON ref_holding(shareholder_en_key, shareholder,  shareholder_type) WHERE shareholder_en_key IS NOT NULL;
CREATE TRIGGER journal_node_no_update BEFORE UPDATE ON journal_node BEGIN SELECT RAISE(ABORT, 'journal_node is append-only'); END;
CREATE TRIGGER journal_node_no_delete BEFORE DELETE ON journal_node BEGIN SELECT RAISE(ABORT, 'journal_node is append-only'); END;
CREATE INDEX application_origin ON application(origin, state) WHERE origin IS NOT NULL;
CREATE INDEX exchange_item_application ON exchange_item(application_id);
CREATE INDEX application_created_by ON application(created_by, state);
CREATE INDEX application_right_app ON application_right(right_key, application_id);
COMMIT;
PRAGMA user_version = 11;
PRAGMA application_id = 1347175495;
