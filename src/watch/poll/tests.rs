//! Unit tests of the polling snapshot: what a pass reports for each kind of change.

use std::time::UNIX_EPOCH;

use super::*;

fn setup(root: &Path) -> (Scope, PollSet) {
    let scope = Scope::load(root, crate::scope::ScopeOptions::default()).unwrap();
    let mut set = PollSet::default();
    set.add_root(root, &scope);
    (scope, set)
}

/// `kind rel/path` per change, in the order the pass gave them.
fn pass(set: &mut PollSet, scope: &Scope, root: &Path) -> Vec<String> {
    set.pass(scope)
        .into_iter()
        .map(|c| {
            let rel = c.path.strip_prefix(root).unwrap().display().to_string();
            format!("{:?} {rel}{}", c.kind, if c.is_dir { "/" } else { "" })
        })
        .collect()
}

fn set_mtime(path: &Path, t: SystemTime) {
    std::fs::File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
}

#[test]
fn a_pass_reports_created_modified_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("keep"), "1").unwrap();
    std::fs::write(root.join("gone"), "1").unwrap();
    let (scope, mut set) = setup(root);
    assert!(set.pass(&scope).is_empty());
    std::fs::write(root.join("keep"), "22").unwrap();
    std::fs::remove_file(root.join("gone")).unwrap();
    std::fs::create_dir(root.join("d")).unwrap();
    std::fs::write(root.join("d/new"), "1").unwrap();
    assert_eq!(
        pass(&mut set, &scope, root),
        ["Deleted gone", "Created d/", "Created d/new", "Modified keep"]
    );
    assert!(set.pass(&scope).is_empty());
}

#[test]
fn an_edit_of_the_same_size_is_seen_down_to_the_nanosecond() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let file = root.join("sub/f");
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::write(&file, "aaaa").unwrap();
    let old = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    set_mtime(&file, old);
    let (scope, mut set) = setup(root);
    assert!(set.pass(&scope).is_empty());
    std::fs::write(&file, "bbbb").unwrap();
    assert_eq!(pass(&mut set, &scope, root), ["Modified sub/f"]);
    set_mtime(&file, old);
    assert_eq!(pass(&mut set, &scope, root), ["Modified sub/f"]);
    set_mtime(&file, old + Duration::from_nanos(1));
    assert_eq!(pass(&mut set, &scope, root), ["Modified sub/f"]);
    assert!(set.pass(&scope).is_empty());
}

#[test]
fn new_files_in_old_directories_and_deleted_trees() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for f in ["a/b/c/deep", "a/b/f", "a/f", "x/y/f"] {
        std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
        std::fs::write(root.join(f), "1").unwrap();
    }
    let (scope, mut set) = setup(root);
    assert!(set.pass(&scope).is_empty());
    std::fs::write(root.join("x/y/new"), "1").unwrap();
    std::fs::remove_dir_all(root.join("a/b")).unwrap();
    assert_eq!(
        pass(&mut set, &scope, root),
        [
            "Deleted a/b/f",
            "Deleted a/b/c/deep",
            "Deleted a/b/c/",
            "Deleted a/b/",
            "Created x/y/new"
        ]
    );
    // A recreated directory is new, contents and all.
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    std::fs::write(root.join("a/b/f"), "2").unwrap();
    assert_eq!(pass(&mut set, &scope, root), ["Created a/b/", "Created a/b/f"]);
    assert_eq!((set.live, set.nodes.len()), (5, 6), "nodes of deleted directories are reused");
}

#[test]
fn a_file_replaced_by_a_directory_and_back() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("p"), "1").unwrap();
    let (scope, mut set) = setup(root);
    std::fs::remove_file(root.join("p")).unwrap();
    std::fs::create_dir(root.join("p")).unwrap();
    std::fs::write(root.join("p/in"), "1").unwrap();
    assert_eq!(pass(&mut set, &scope, root), ["Deleted p", "Created p/", "Created p/in"]);
    std::fs::remove_dir_all(root.join("p")).unwrap();
    std::fs::write(root.join("p"), "1").unwrap();
    assert_eq!(pass(&mut set, &scope, root), ["Deleted p/in", "Deleted p/", "Created p"]);
}

#[test]
fn out_of_scope_directories_are_never_entered_and_exact_names_are_kept() {
    use std::os::unix::ffi::OsStrExt as _;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    let (scope, mut set) = setup(root);
    std::fs::write(root.join(".git/HEAD"), "x").unwrap();
    std::fs::create_dir(root.join(".git/objects")).unwrap();
    let odd = root.join(OsStr::from_bytes(b"caf\xe9"));
    std::fs::write(&odd, "x").unwrap();
    let changes = set.pass(&scope);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].path, odd);
    assert_eq!(changes[0].kind, PollKind::Created);
}

#[test]
fn a_directory_whose_stamp_did_not_move_is_listed_while_settling_and_on_full_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let (scope, mut set) = setup(root);
    assert!(set.pass(&scope).is_empty());
    // A file created within the stamp's granule: make the snapshot believe the directory's
    // current stamp is the one it listed.
    std::fs::write(root.join("late"), "1").unwrap();
    let stamp = Stamp::of(&dirfd::stat_fd(dirfd::open_root(root).unwrap().as_fd()).unwrap());
    let node = &mut set.nodes[set.roots[0].1 as usize];
    (node.listed, node.settle) = (Some(stamp), true);
    assert_eq!(pass(&mut set, &scope, root), ["Created late"]);

    std::fs::write(root.join("later"), "1").unwrap();
    let stamp = Stamp::of(&dirfd::stat_fd(dirfd::open_root(root).unwrap().as_fd()).unwrap());
    let node = &mut set.nodes[set.roots[0].1 as usize];
    (node.listed, node.settle) = (Some(stamp), false);
    set.pass_no = FULL_EVERY - 2;
    assert!(set.pass(&scope).is_empty(), "a settled, unchanged stamp is trusted");
    assert_eq!(pass(&mut set, &scope, root), ["Created later"], "a full pass lists");
}

#[test]
fn a_deleted_root_reports_its_contents_and_a_recreated_one_reports_them_again() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("r");
    std::fs::create_dir_all(root.join("d")).unwrap();
    std::fs::write(root.join("d/f"), "1").unwrap();
    let (scope, mut set) = setup(&root);
    std::fs::remove_dir_all(&root).unwrap();
    assert_eq!(pass(&mut set, &scope, &root), ["Deleted d/f", "Deleted d/"]);
    assert!(set.pass(&scope).is_empty());
    std::fs::create_dir_all(root.join("d")).unwrap();
    assert_eq!(pass(&mut set, &scope, &root), ["Created d/"]);
}
