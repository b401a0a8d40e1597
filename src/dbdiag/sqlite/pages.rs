//! A b-tree page walker for the `standard` profile: what DBSTAT reports, in a fraction of its time.
//!
//! DBSTAT (and `sqlite3_analyzer`, built on it) decodes every cell of every page through the
//! virtual-table machinery and hands back one row per page, which costs seconds on a 1 GB file.
//! We need less: per b-tree its pages, bytes, unused bytes, entries, overflow pages and how many
//! pages are out of sequence. So the file is read sequentially in large chunks while a shared
//! lock is held (one pass at disk speed), each page's header and cell sizes are decoded into a
//! compact record, and the b-trees are then walked from their root pages in memory. Overflow
//! pages are counted from the payload sizes without being read. Anything unexpected (a page that
//! is not a b-tree page where one should be, a cycle, a short file) makes the caller fall back to
//! DBSTAT, which also reports corruption properly. In WAL mode with frames not yet checkpointed
//! the file is not the whole truth, so the caller uses DBSTAT there too.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use super::space::BtreeStat;

/// What one page looked like, if it was a b-tree page.
#[derive(Clone, Copy, Default)]
struct Page {
    kind: u8,
    ncell: u32,
    unused: u32,
    overflow_pages: u32,
    overflow_unused: u64,
    children: (u32, u32),
}

fn varint(b: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for i in 0..9 {
        let byte = *b.get(i)?;
        if i == 8 {
            return Some(((v << 8) | u64::from(byte), 9));
        }
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?])))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([*b.get(at)?, *b.get(at + 1)?, *b.get(at + 2)?, *b.get(at + 3)?]))
}

/// Decodes one page; `None` when it is not a well-formed b-tree page.
fn parse(buf: &[u8], pgno: u32, usable: usize, children: &mut Vec<u32>) -> Option<Page> {
    let hdr = if pgno == 1 { 100 } else { 0 };
    let kind = *buf.get(hdr)?;
    let interior = match kind {
        2 | 5 => true,
        10 | 13 => false,
        _ => return None,
    };
    let hsize = if interior { 12 } else { 8 };
    let ncell = be16(buf, hdr + 3)?;
    let content = match be16(buf, hdr + 5)? {
        0 => 65_536,
        n => n,
    };
    let frag = usize::from(*buf.get(hdr + 7)?);
    let ptrs_end = hdr + hsize + 2 * ncell;
    if content < ptrs_end || content > usable {
        return None;
    }
    let mut unused = content - ptrs_end + frag;
    let mut free = be16(buf, hdr + 1)?;
    let mut hops = 0;
    while free != 0 {
        unused += be16(buf, free + 2)?;
        free = be16(buf, free)?;
        hops += 1;
        if hops > usable / 4 {
            return None;
        }
    }
    let start = children.len() as u32;
    let (mut overflow_pages, mut overflow_unused) = (0u32, 0u64);
    let table = kind == 5 || kind == 13;
    let u = usable as u64;
    let max_local = if table { u - 35 } else { (u - 12) * 64 / 255 - 23 };
    let min_local = (u - 12) * 32 / 255 - 23;
    for i in 0..ncell {
        let cell = be16(buf, hdr + hsize + 2 * i)?;
        let mut at = cell;
        if interior {
            children.push(be32(buf, at)?);
            at += 4;
            if kind == 5 {
                continue; // table interior cells carry only a rowid
            }
        }
        let (payload, _) = varint(buf.get(at..)?)?;
        if payload > max_local {
            let k = min_local + (payload - min_local) % (u - 4);
            let local = if k <= max_local { k } else { min_local };
            let spill = payload - local;
            let n = spill.div_ceil(u - 4);
            overflow_pages += n as u32;
            overflow_unused += n * (u - 4) - spill;
        }
    }
    if interior {
        children.push(be32(buf, hdr + 8)?);
    }
    Some(Page {
        kind,
        ncell: ncell as u32,
        unused: unused as u32,
        overflow_pages,
        overflow_unused,
        children: (start, children.len() as u32 - start),
    })
}

/// Reads the file once and measures each b-tree given as (name, root page, counts entries on
/// every page); `None` when the file does not look as expected (use DBSTAT instead).
pub(crate) fn measure(
    path: &Path,
    roots: &[(String, u32, bool)],
) -> Option<BTreeMap<String, BtreeStat>> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut header = [0u8; 100];
    file.read_exact(&mut header).ok()?;
    let page_size = match be16(&header, 16)? {
        1 => 65_536,
        n if n >= 512 && n.is_power_of_two() => n,
        _ => return None,
    };
    let usable = page_size - usize::from(header[20]);
    let page_count = be32(&header, 28)? as usize;
    let len = file.metadata().ok()?.len() as usize;
    if page_count == 0 || page_count * page_size > len {
        return None;
    }
    let mut pages: Vec<Option<Page>> = Vec::with_capacity(page_count + 1);
    pages.push(None);
    let mut children = Vec::new();
    let chunk_pages = (8 << 20) / page_size;
    let mut buf = vec![0u8; chunk_pages * page_size];
    let mut pgno = 1usize;
    // The first 100 bytes were read already; read again from 0 for simple page arithmetic.
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(0)).ok()?;
    while pgno <= page_count {
        let n = chunk_pages.min(page_count + 1 - pgno);
        let bytes = &mut buf[..n * page_size];
        file.read_exact(bytes).ok()?;
        for (i, page) in bytes.chunks_exact(page_size).enumerate() {
            let no = (pgno + i) as u32;
            pages.push(parse(&page[..usable], no, usable, &mut children));
        }
        pgno += n;
    }
    let mut out = BTreeMap::new();
    let mut seen = vec![false; page_count + 1];
    for (name, root, index_like) in roots {
        let mut stat = BtreeStat::default();
        let mut stack = vec![*root];
        let mut last: Option<u32> = None;
        while let Some(no) = stack.pop() {
            let slot = seen.get_mut(no as usize)?;
            if *slot {
                return None; // a page in two places: corrupt
            }
            *slot = true;
            let page = pages.get(no as usize).copied().flatten()?;
            stat.pages += 1 + u64::from(page.overflow_pages);
            stat.overflow += u64::from(page.overflow_pages);
            stat.bytes += (page_size as u64) * (1 + u64::from(page.overflow_pages));
            stat.unused += u64::from(page.unused) + page.overflow_unused;
            let leaf = page.kind == 10 || page.kind == 13;
            if leaf || *index_like {
                stat.entries += u64::from(page.ncell);
            }
            if let Some(prev) = last
                && no != prev + 1
            {
                stat.out_of_order += 1;
            }
            last = Some(no);
            let (start, count) = page.children;
            let kids = children.get(start as usize..(start + count) as usize)?;
            stack.extend(kids.iter().rev());
        }
        out.insert(name.clone(), stat);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_dbstat() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b BLOB);
             CREATE INDEX t_a ON t(a);
             CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO t SELECT i, hex(randomblob(i % 50)), randomblob(CASE WHEN i % 100 = 0 THEN 9000 ELSE 20 END) FROM n;
             INSERT INTO w SELECT a || id, id FROM t;
             DELETE FROM t WHERE id % 7 = 0;",
        )
        .unwrap();
        let roots: Vec<(String, u32, bool)> = conn
            .prepare("SELECT name, rootpage, type = 'index' OR name = 'w' FROM sqlite_schema WHERE rootpage > 0")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let ours = measure(&path, &roots).unwrap();
        let mut stmt = conn
            .prepare("SELECT name, count(*), sum(pgsize), sum(unused), sum(pagetype = 'overflow') FROM dbstat GROUP BY name")
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                let n = |i| r.get::<_, i64>(i).map(|v| v as u64);
                Ok((r.get::<_, String>(0)?, n(1)?, n(2)?, n(3)?, n(4)?))
            })
            .unwrap();
        for row in rows {
            let (name, pages, bytes, unused, overflow) = row.unwrap();
            if name == "sqlite_schema" {
                continue;
            }
            let s = &ours[&name];
            assert_eq!((s.pages, s.bytes, s.overflow), (pages, bytes, overflow), "{name}");
            assert_eq!(s.unused, unused, "{name}");
        }
        assert_eq!(ours["t"].entries, 3000 - 3000 / 7);
        assert_eq!(ours["t_a"].entries, 3000 - 3000 / 7);
        assert_eq!(ours["w"].entries, 3000);
    }

    #[test]
    fn garbage_is_refused_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        std::fs::write(&path, vec![7u8; 8192]).unwrap();
        assert!(measure(&path, &[("x".into(), 2, false)]).is_none());
    }
}
