package audit

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// On-disk layout of a log directory:
//
//	LOCK                      flock(2)ed by the one writer
//	00000000000000000000.seg  entries 0.., 16-byte header then frames
//	00000000000000065536.seg  the next segment, named by its first index
//	hashes                    32-byte header, then every stored hash in
//	                          tlog.StoredHashIndex order, 32 bytes each
//	checkpoints               frames, each a signed checkpoint note
//	NAME.tmp                  a file being created, renamed to NAME once
//	                          its header is durable
//
// A frame is a 4-byte big-endian length, the data, and a 4-byte CRC-32C of
// length and data. The CRC only tells a torn write from a complete one; the
// integrity of the log rests on the Merkle tree and the signed checkpoints.
//
// The segment files are the commit record: an append is acknowledged once
// its frames are synced. The stored hashes are written after them and
// synced before a new segment file is created and before a checkpoint is
// stored (see openSegments).
const (
	segmentMagic       = "AUDSEG1\n"
	segmentHeaderSize  = 16
	segmentSuffix      = ".seg"
	hashFileName       = "hashes"
	hashMagic          = "audit log stored hashes v1\n\x00\x00\x00\x00\x00"
	hashHeaderSize     = len(hashMagic)
	checkpointFileName = "checkpoints"
	lockFileName       = "LOCK"
	tmpSuffix          = ".tmp"
	frameOverhead      = 8
)

// defaultSegmentEntries is the number of entries per segment file when
// Options.SegmentEntries is zero.
const defaultSegmentEntries = 1 << 16

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// storeFile is the part of *os.File the file store uses; tests substitute
// a faulty one to simulate a full disk or a failing fsync.
type storeFile interface {
	io.ReaderAt
	io.WriterAt
	Sync() error
	Truncate(size int64) error
	Stat() (os.FileInfo, error)
	Close() error
}

// fileSystem opens files and syncs directories for the file store.
type fileSystem interface {
	OpenFile(name string, flag int, perm os.FileMode) (storeFile, error)
	SyncDir(dir string) error
}

type osFS struct{}

func (osFS) OpenFile(name string, flag int, perm os.FileMode) (storeFile, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

// osFile is an *os.File whose Sync is fdatasync(2) where there is one: the
// store needs its data and size durable, not its timestamps.
type osFile struct{ *os.File }

func (f osFile) Sync() error { return datasync(f.File) }

func (osFS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func appendFrame(dst, data []byte) []byte {
	start := len(dst)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(data)))
	dst = append(dst, data...)
	return binary.BigEndian.AppendUint32(dst, crc32.Checksum(dst[start:], crcTable))
}

// readFrames reads the frames in r from off on, calling fn for each. It
// returns the offset just past the last complete, intact frame and whether
// anything (a torn or damaged frame, or one longer than maxLen) follows it.
func readFrames(r io.Reader, off int64, maxLen uint32, fn func(off int64, data []byte) error) (end int64, damaged bool, err error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var hdr [4]byte
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			if err == io.EOF {
				return off, false, nil
			}
			if err == io.ErrUnexpectedEOF {
				return off, true, nil
			}
			return off, false, err
		}
		n := binary.BigEndian.Uint32(hdr[:])
		if n > maxLen {
			return off, true, nil
		}
		buf := make([]byte, 4+int(n)+4)
		copy(buf, hdr[:])
		if _, err := io.ReadFull(br, buf[4:]); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return off, true, nil
			}
			return off, false, err
		}
		if crc32.Checksum(buf[:4+n], crcTable) != binary.BigEndian.Uint32(buf[4+n:]) {
			return off, true, nil
		}
		if err := fn(off, buf[4:4+n]); err != nil {
			return off, false, err
		}
		off += int64(len(buf))
	}
}

type segment struct {
	first int64
	name  string
}

func segmentName(first int64) string { return fmt.Sprintf("%020d%s", first, segmentSuffix) }

// listSegments returns the segment files of dir ordered by first index.
func listSegments(dir string) ([]segment, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var segs []segment
	for _, e := range ents {
		name := e.Name()
		num, ok := strings.CutSuffix(name, segmentSuffix)
		if !ok || len(num) != 20 {
			continue
		}
		first, err := strconv.ParseInt(num, 10, 64)
		if err != nil || first < 0 {
			continue
		}
		segs = append(segs, segment{first: first, name: name})
	}
	slices.SortFunc(segs, func(a, b segment) int { return cmp.Compare(a.first, b.first) })
	return segs, nil
}

// readSegmentHeader returns the first index recorded in a segment header.
func readSegmentHeader(r io.ReaderAt) (int64, error) {
	var h [segmentHeaderSize]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return 0, err
	}
	if string(h[:8]) != segmentMagic {
		return 0, errors.New("bad segment header")
	}
	first := binary.BigEndian.Uint64(h[8:])
	if first > 1<<62 {
		return 0, errors.New("bad segment header")
	}
	return int64(first), nil
}

// hasSegmentHeader reports whether r starts with the header of the segment
// whose first entry is first.
func hasSegmentHeader(r io.ReaderAt, first int64) bool {
	got, err := readSegmentHeader(r)
	return err == nil && got == first
}

// fileStore keeps a log in a directory; see the layout above.
type fileStore struct {
	dir        string
	fs         fileSystem
	segEntries int64
	lock       *os.File

	segs     []segment
	cur      storeFile // last segment
	curCount int64     // entries in cur
	curOff   int64     // end of cur
	hashes   storeFile
	hashOff  int64 // end of hashes
	cps      storeFile
	cpOff    int64 // end of checkpoints
	cpList   [][]byte
	n        int64
	rec      recovery
	broken   error // sticky: the files may differ from what the store believes

	// What checkAlive compares with: the directory and every file of the
	// log as opened or created, and the directory's mtime when last found
	// unchanged.
	dirInfo    os.FileInfo
	dirMod     time.Time
	dirSettled bool // dirMod is older than dirTimeSlack and every file was checked since
	files      map[string]os.FileInfo

	hashHeaderTorn bool // the hash file of a log whose creation crashed; see openUnbornHashes

	cpCovered int64       // entries covered by the newest stored checkpoint
	rehash    []tlog.Hash // stored hashes recomputed by openSegments...
	rehashAt  int64       // ...from this stored hash index on
}

func openFileStore(dir string, fsys fileSystem, segEntries int64) (_ *fileStore, err error) {
	if fsys == nil {
		fsys = osFS{}
	}
	if segEntries <= 0 {
		segEntries = defaultSegmentEntries
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	s := &fileStore{dir: dir, fs: fsys, segEntries: segEntries, files: make(map[string]os.FileInfo)}
	s.lock, err = os.OpenFile(filepath.Join(dir, lockFileName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	if err := lockFile(s.lock); err != nil {
		return nil, err
	}
	// Everything is read and checked before anything is repaired, so that
	// damage Open cannot explain is reported with the files untouched.
	cpEnd, cpSize, err := s.openCheckpoints()
	if err != nil {
		return nil, err
	}
	_, hashSize, err := s.openHashes()
	if err != nil {
		return nil, err
	}
	if err := s.checkCoveredByHashes(); err != nil {
		return nil, err
	}
	if err := s.openSegments(); err != nil {
		return nil, err
	}
	if err := s.repairHashHeader(); err != nil {
		return nil, err
	}
	if err := s.writeRehashed(hashSize); err != nil {
		return nil, err
	}
	if err := s.cutTail(s.cps, cpEnd, cpSize); err != nil {
		return nil, err
	}
	s.rec.CheckpointsTrunc = cpSize > cpEnd
	if err := s.watch(); err != nil {
		return nil, err
	}
	return s, nil
}

// dirTimeSlack is how long after a change of the directory checkAlive keeps
// comparing every file: a file system stamps mtimes with a coarse clock
// (a kernel tick; whole seconds on some), so a second change within the
// same tick as one already seen would leave the mtime unchanged.
const dirTimeSlack = 2 * time.Second

// errGone is the cause of ErrLogFailed when the log's storage is no longer
// where it was opened.
func errGone(what string) error {
	return fatalError{fmt.Errorf("audit: log %s removed or replaced", what)}
}

// watch records the identity of the directory and of every file of the
// log, for checkAlive.
func (s *fileStore) watch() error {
	fi, err := os.Stat(s.dir)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	s.dirInfo, s.dirMod, s.dirSettled = fi, fi.ModTime(), false
	for name, f := range map[string]interface{ Stat() (os.FileInfo, error) }{
		lockFileName: s.lock, hashFileName: s.hashes, checkpointFileName: s.cps,
	} {
		if err := s.watchFile(name, f); err != nil {
			return err
		}
	}
	for _, seg := range s.segs {
		fi, err := os.Lstat(s.path(seg.name))
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		s.files[seg.name] = fi
	}
	return nil
}

func (s *fileStore) watchFile(name string, f interface{ Stat() (os.FileInfo, error) }) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	s.files[name] = fi
	return nil
}

// checkAlive returns an error unless the log's directory and files are
// still the ones it opened: not removed, renamed away or replaced. It runs
// once per batch, after the batch is synced and before it is acknowledged,
// so an append is never acknowledged into files that are no longer the
// log. A stat of the directory is all it costs while the directory's mtime
// is unchanged and settled: the directory removed or replaced fails the
// stat or changes its device and inode, and every unlink, rename or
// creation in it updates its mtime, upon which every file of the log is
// checked (a few microseconds each, once per change). A file system stamps
// mtimes with a coarse clock, so a second change within the same tick
// leaves the mtime as it was: until the tick is surely over
// (dirTimeSlack), every batch also checks the files being written, and the
// first batch after it checks them all once more.
func (s *fileStore) checkAlive() error {
	if s.dirInfo == nil {
		return nil // still opening
	}
	fi, err := os.Stat(s.dir)
	if err != nil || !os.SameFile(fi, s.dirInfo) {
		return errGone("directory")
	}
	mod := fi.ModTime()
	switch {
	case !mod.Equal(s.dirMod):
		if err := s.checkFiles(nil); err != nil {
			return err
		}
		s.dirMod, s.dirSettled = mod, false
	case s.dirSettled:
	case time.Since(mod) > dirTimeSlack:
		if err := s.checkFiles(nil); err != nil {
			return err
		}
		s.dirSettled = true
	default:
		return s.checkFiles([]string{s.segs[len(s.segs)-1].name, hashFileName, checkpointFileName, lockFileName})
	}
	return nil
}

// checkFiles checks that names (nil: every file of the log) are still the
// files the log opened or created.
func (s *fileStore) checkFiles(names []string) error {
	if names == nil {
		names = slices.Collect(maps.Keys(s.files))
	}
	for _, name := range names {
		want, ok := s.files[name]
		if !ok {
			continue
		}
		got, err := os.Lstat(s.path(name))
		if err != nil || !os.SameFile(got, want) {
			return errGone("file " + name)
		}
	}
	return nil
}

// checkCoveredByHashes refuses a log whose stored hashes end below its
// newest checkpoint: those entries were acknowledged (a checkpoint covers
// only durable entries), so the missing hashes are damage, not the torn
// tail of a crash, and the entries beyond them must not be cut.
func (s *fileStore) checkCoveredByHashes() error {
	if len(s.cpList) == 0 {
		return nil
	}
	last := len(s.cpList) - 1
	head, err := readCheckpoint(s.cpList[last], nil)
	if err != nil {
		return checkpointTampered(last, "checkpoint signature or format invalid")
	}
	if hashed := recordsCovered((s.hashOff - int64(hashHeaderSize)) / tlog.HashSize); hashed < head.Size {
		return &TamperError{Index: hashed, Checkpoint: last, Reason: "stored hashes missing below the last checkpoint"}
	}
	s.cpCovered = head.Size
	return nil
}

// cutTail truncates f from end to size, the unacknowledged tail found on
// open, and counts it in the recovery.
func (s *fileStore) cutTail(f storeFile, end, size int64) error {
	if size <= end {
		return nil
	}
	if err := s.truncate(f, end); err != nil {
		return err
	}
	s.rec.TruncatedBytes += size - end
	return nil
}

// fatalError marks a failure after which the store stops accepting writes:
// a failed fsync (the page cache may hold data the disk does not, and a
// later fsync may report success) or storage removed or replaced.
type fatalError struct{ error }

func (e fatalError) Unwrap() error { return e.error }

// maxSignedCheckpoint bounds a signed checkpoint note: the text and a few
// signatures.
const maxSignedCheckpoint = maxCheckpointText + 4096

func (s *fileStore) path(name string) string { return filepath.Join(s.dir, name) }

// openHashes opens (or creates) the hash file and finds the end of its
// complete part, returning it and the file size: what follows is a torn
// tail (a partial hash, or hashes of a record whose other hashes are
// missing), cut or overwritten by writeRehashed once the whole log has been
// checked.
func (s *fileStore) openHashes() (end, size int64, err error) {
	if _, err := os.Stat(s.path(hashFileName)); errors.Is(err, os.ErrNotExist) {
		// A new log creates the hash file before its first segment, so
		// segments or checkpoints without it are damage: creating an
		// empty one would make every entry look unacknowledged.
		segs, err := listSegments(s.dir)
		if err != nil {
			return 0, 0, fmt.Errorf("audit: %w", err)
		}
		if len(segs) > 0 || len(s.cpList) > 0 {
			return 0, 0, entryTampered(0, "stored hashes missing")
		}
	}
	f, size, err := s.openWithHeader(hashFileName, []byte(hashMagic))
	if errors.Is(err, errBadHeader) {
		f, size, err = s.openUnbornHashes()
	}
	if err != nil {
		return 0, 0, err
	}
	s.hashes = f
	count := (size - int64(hashHeaderSize)) / tlog.HashSize
	covered := tlog.StoredHashCount(recordsCovered(count))
	s.hashOff = int64(hashHeaderSize) + covered*tlog.HashSize
	return s.hashOff, size, nil
}

// errBadHeader is returned by openWithHeader for a file that does not start
// with its header.
var errBadHeader = errors.New("audit: bad header")

// openWithHeader opens name, creating it durably with header if it does not
// exist, and checks the header if it does.
func (s *fileStore) openWithHeader(name string, header []byte) (f storeFile, size int64, err error) {
	f, err = s.fs.OpenFile(s.path(name), os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		f, err = s.create(name, header)
		return f, int64(len(header)), err
	}
	if err != nil {
		return nil, 0, fmt.Errorf("audit: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("audit: %w", err)
	}
	got := make([]byte, len(header))
	if _, err := f.ReadAt(got, 0); err != nil || string(got) != string(header) {
		f.Close()
		return nil, 0, errBadHeader
	}
	return f, fi.Size(), nil
}

// openUnbornHashes opens a hash file whose header is missing or cut short.
// A crash while a new log was being created leaves one (versions of this
// package before create renamed files into place wrote the header in
// place), and then the directory holds no checkpoint and no entry: Open
// writes the header once the whole directory has been checked. With
// records present, the header was durable before the first of them was
// written, so a bad one is damage.
func (s *fileStore) openUnbornHashes() (storeFile, int64, error) {
	b, err := os.ReadFile(s.path(hashFileName))
	if err != nil {
		return nil, 0, fmt.Errorf("audit: %w", err)
	}
	empty, err := holdsNoRecords(s.dir)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: %w", err)
	}
	if !empty || !tornHeader(b, hashMagic) {
		return nil, 0, entryTampered(0, "stored hashes damaged")
	}
	f, err := s.fs.OpenFile(s.path(hashFileName), os.O_RDWR, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: %w", err)
	}
	s.hashHeaderTorn = true
	return f, int64(hashHeaderSize), nil
}

// repairHashHeader writes the header that openUnbornHashes found missing.
func (s *fileStore) repairHashHeader() error {
	if !s.hashHeaderTorn {
		return nil
	}
	if _, err := s.hashes.WriteAt([]byte(hashMagic), 0); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return s.truncate(s.hashes, int64(hashHeaderSize)) // and sync
}

// holdsNoRecords reports whether dir holds no checkpoint and no entry: at
// most an empty checkpoint file and a first segment no longer than its
// header, which is all a crash while creating a log can leave.
func holdsNoRecords(dir string) (bool, error) {
	fi, err := os.Stat(filepath.Join(dir, checkpointFileName))
	switch {
	case err == nil && fi.Size() > 0:
		return false, nil
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return false, err
	}
	segs, err := listSegments(dir)
	if err != nil {
		return false, err
	}
	for _, seg := range segs {
		fi, err := os.Stat(filepath.Join(dir, seg.name))
		if err != nil {
			return false, err
		}
		if seg.first != 0 || fi.Size() > segmentHeaderSize {
			return false, nil
		}
	}
	return true, nil
}

// tornHeader reports whether b is what an interrupted write of header can
// leave behind: a prefix of it, or zeros where its data never reached the
// disk.
func tornHeader(b []byte, header string) bool {
	if len(b) > len(header) {
		return false
	}
	return strings.HasPrefix(header, string(b)) || !slices.ContainsFunc(b, func(c byte) bool { return c != 0 })
}

// create makes a new file holding header, crash-safely: the header is
// written and synced under a temporary name, which is then renamed into
// place and the directory synced. A crash leaves either no file or one with
// its whole header; a file created in place could be left short, and a
// short hash file would make the log unopenable. Open holds the directory's
// lock, so nobody else creates name meanwhile; a leftover temporary file of
// an earlier crash is overwritten.
func (s *fileStore) create(name string, header []byte) (_ storeFile, err error) {
	if _, err := os.Lstat(s.path(name)); !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("audit: create %s: %w", name, cmp.Or(err, os.ErrExist))
	}
	path := s.path(name + tmpSuffix)
	f, err := s.fs.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(path)
		}
	}()
	if _, err := f.WriteAt(header, 0); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if err := f.Sync(); err != nil {
		return nil, fatalError{fmt.Errorf("audit: %w", err)}
	}
	if err := os.Rename(path, s.path(name)); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	path = s.path(name)
	if err := s.fs.SyncDir(s.dir); err != nil {
		return nil, fatalError{fmt.Errorf("audit: %w", err)}
	}
	if err := s.watchFile(name, f); err != nil {
		return nil, err
	}
	return f, nil
}

func (s *fileStore) truncate(f storeFile, size int64) error {
	if err := f.Truncate(size); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

func segmentHeader(first int64) []byte {
	return binary.BigEndian.AppendUint64([]byte(segmentMagic), uint64(first))
}

// openSegments finds the durable entries and the stored hashes that must
// be rewritten, and cuts the torn tail of an interrupted append.
//
// An append syncs a batch's entries, then writes their stored hashes
// without syncing them; it syncs the hash file only before it creates a
// segment file and before it stores a checkpoint. So the stored hashes of
// every entry before the last segment file, and of every entry a stored
// checkpoint covers, were durable before anything after them was written:
// those are trusted, and missing ones are damage. After the trusted point,
// the entries are the record: every intact frame is a durable entry (a
// batch is acknowledged once its frames are synced), the first torn or
// damaged frame ends the log, and the stored hashes there are recomputed
// from the entries. A stored hash there that is present, not zero (what a
// crash can leave where a write never reached the disk) and different from
// the recomputed one, or a stored hash of an entry that is not there (a
// hash is written only after its entry is durable), is damage.
func (s *fileStore) openSegments() error {
	segs, err := listSegments(s.dir)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	hashed := recordsCovered((s.hashOff - int64(hashHeaderSize)) / tlog.HashSize)
	if len(segs) == 0 {
		if hashed > 0 || s.cpCovered > 0 {
			return entryTampered(0, "entry segments missing")
		}
		f, err := s.create(segmentName(0), segmentHeader(0))
		if err != nil {
			return err
		}
		s.segs = []segment{{0, segmentName(0)}}
		s.cur, s.curOff = f, segmentHeaderSize
		return nil
	}
	if segs[0].first != 0 {
		return entryTampered(0, "first entry segment missing")
	}
	// hashed < the last segment's first entry cannot follow a crash of
	// this version, but can one of an earlier version, which synced
	// hashes after entries; the entries after hashed are rehashed then.
	trusted := max(min(hashed, segs[len(segs)-1].first), s.cpCovered)
	tree, err := loadFrontier(trusted, tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		return s.readHashes(context.Background(), idx)
	}))
	if err != nil {
		return err
	}
	var lastLeaf tlog.Hash // stored leaf hash of entry trusted-1
	if trusted > 0 {
		h, err := s.readHashes(context.Background(), []int64{tlog.StoredHashIndex(0, trusted-1)})
		if err != nil {
			return err
		}
		lastLeaf = h[0]
	}
	// Scan from the segment holding entry trusted-1 (or trusted) to the
	// end.
	from := len(segs) - 1
	for from > 0 && segs[from].first > max(trusted-1, 0) {
		from--
	}
	next := segs[from].first
	cutSeg, cutOff := from, int64(segmentHeaderSize) // end of the last intact entry
	var rehashed []tlog.Hash                         // stored hashes of entries trusted..
	for i := from; i < len(segs); i++ {
		f, err := os.Open(s.path(segs[i].name))
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		first, herr := readSegmentHeader(f)
		if herr != nil || first != segs[i].first || first != next {
			f.Close()
			if herr != nil && i == len(segs)-1 && segs[i].first == next && next >= hashed && s.legacyTornSegment(segs[i]) {
				cutSeg, cutOff = i, segmentHeaderSize
				break
			}
			return entryTampered(next, "entry segment out of place")
		}
		cutSeg, cutOff = i, segmentHeaderSize
		_, damaged, err := readFrames(io.NewSectionReader(f, segmentHeaderSize, 1<<62), segmentHeaderSize, maxEntrySize, func(off int64, data []byte) error {
			switch {
			case next == trusted-1:
				if tlog.RecordHash(data) != lastLeaf {
					return entryTampered(next, "entry does not match its stored hash")
				}
			case next >= trusted:
				// Only a writer, never a crash, leaves an intact frame
				// (CRC-32C) that is not an event.
				if err := new(Event).UnmarshalBinary(data); err != nil {
					return entryTampered(next, "entry is not a valid event")
				}
				rehashed = append(rehashed, tree.add(tlog.RecordHash(data))...)
			}
			next++
			cutOff = off + int64(len(data)) + frameOverhead
			return nil
		})
		f.Close()
		if err != nil {
			if errors.As(err, new(*TamperError)) {
				return err
			}
			return fmt.Errorf("audit: %w", err)
		}
		if next < trusted && (damaged || i == len(segs)-1) {
			return entryTampered(next, "acknowledged entry damaged or missing")
		}
		if damaged {
			break // the torn tail; a segment after it is dropped below
		}
	}
	if next < hashed {
		return entryTampered(next, "acknowledged entry damaged or missing")
	}
	// Compare the recomputed hashes with those stored after the trusted
	// point.
	base := tlog.StoredHashCount(trusted)
	stored := tlog.StoredHashCount(hashed) - base
	if stored > 0 {
		idx := make([]int64, stored)
		for k := range idx {
			idx[k] = base + int64(k)
		}
		old, err := s.readHashes(context.Background(), idx)
		if err != nil {
			return err
		}
		lastZero := int64(-1) // the record of the last zero hash replaced
		for k, h := range old {
			if h == rehashed[k] {
				continue
			}
			r := recordOfStoredHash(base + int64(k))
			if h != (tlog.Hash{}) {
				return entryTampered(r, "entry does not match its stored hash")
			}
			if r != lastZero {
				s.rec.Rehashed++
				lastZero = r
			}
		}
	}
	s.rec.Rehashed += next - hashed
	s.rehash, s.rehashAt = rehashed, base

	// Remove the torn tail: segment files after the last intact entry
	// (created by the interrupted append), and the torn frames.
	for _, seg := range segs[cutSeg+1:] {
		fi, err := os.Stat(s.path(seg.name))
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		if err := os.Remove(s.path(seg.name)); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		s.rec.DroppedSegments++
		s.rec.TruncatedBytes += fi.Size()
	}
	if cutSeg+1 < len(segs) {
		if err := s.fs.SyncDir(s.dir); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
	}
	s.segs = segs[:cutSeg+1]
	seg := s.segs[cutSeg]
	f, err := s.fs.OpenFile(s.path(seg.name), os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
	case cutOff == segmentHeaderSize && !hasSegmentHeader(f, seg.first):
		// Left by an earlier version of this package, which created
		// segment files in place: its header never fully reached the
		// disk, and it holds no entry.
		if _, err = f.WriteAt(segmentHeader(seg.first), 0); err == nil {
			s.rec.TruncatedBytes += max(fi.Size()-segmentHeaderSize, 0)
			err = s.truncate(f, segmentHeaderSize)
		}
	case fi.Size() != cutOff:
		s.rec.TruncatedBytes += fi.Size() - cutOff
		err = s.truncate(f, cutOff)
	}
	if err != nil {
		f.Close()
		return err
	}
	s.cur, s.curOff, s.curCount = f, cutOff, next-seg.first
	s.n = next
	return nil
}

// legacyTornSegment reports whether seg, the last segment file, holding no
// entry with a stored hash, is what a crash while an earlier version of
// this package created it in place can leave: a header cut short or never
// written (this version creates files under a temporary name and renames
// them into place once their header is durable).
func (s *fileStore) legacyTornSegment(seg segment) bool {
	f, err := os.Open(s.path(seg.name))
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, segmentHeaderSize)
	n, _ := f.ReadAt(b, 0)
	return tornHeader(b[:n], string(segmentHeader(seg.first)))
}

// writeRehashed writes the stored hashes openSegments recomputed, and cuts
// the hash file after them.
func (s *fileStore) writeRehashed(size int64) error {
	end := int64(hashHeaderSize) + (s.rehashAt+int64(len(s.rehash)))*tlog.HashSize
	if s.rec.Rehashed > 0 && len(s.rehash) > 0 {
		buf := make([]byte, 0, len(s.rehash)*tlog.HashSize)
		for _, h := range s.rehash {
			buf = append(buf, h[:]...)
		}
		if _, err := s.hashes.WriteAt(buf, int64(hashHeaderSize)+s.rehashAt*tlog.HashSize); err != nil {
			return fmt.Errorf("audit: write hashes: %w", err)
		}
	}
	if size > end {
		s.rec.TruncatedBytes += size - end
	}
	if size != end || s.rec.Rehashed > 0 {
		if err := s.truncate(s.hashes, end); err != nil {
			return err
		}
	}
	s.hashOff = end
	s.rehash = nil
	return nil
}

// writeHashes writes stored hashes after the last ones, without syncing
// them (see openSegments).
func (s *fileStore) writeHashes(hashes []tlog.Hash) error {
	buf := make([]byte, 0, len(hashes)*tlog.HashSize)
	for _, h := range hashes {
		buf = append(buf, h[:]...)
	}
	if _, err := s.hashes.WriteAt(buf, s.hashOff); err != nil {
		return fmt.Errorf("audit: write hashes: %w", err)
	}
	s.hashOff += int64(len(buf))
	return nil
}

// syncHashes makes the stored hashes written so far durable.
func (s *fileStore) syncHashes() error {
	if err := s.hashes.Sync(); err != nil {
		return fatalError{fmt.Errorf("audit: sync hashes: %w", err)}
	}
	return nil
}

// openCheckpoints reads the checkpoint file and returns the end of its
// intact frames and its size: what follows is the torn tail of an
// interrupted checkpoint write, cut once the whole log has been checked.
func (s *fileStore) openCheckpoints() (end, size int64, err error) {
	f, size, err := s.openWithHeader(checkpointFileName, nil)
	if err != nil {
		return 0, 0, err
	}
	s.cps = f
	end, damaged, err := readFrames(io.NewSectionReader(f, 0, 1<<62), 0, maxSignedCheckpoint, func(_ int64, data []byte) error {
		s.cpList = append(s.cpList, data)
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("audit: %w", err)
	}
	if damaged {
		if err := s.checkTornCheckpoint(end, size); err != nil {
			return 0, 0, err
		}
	}
	s.cpOff = end
	return end, size, nil
}

// checkTornCheckpoint refuses checkpoint damage at end that a crash cannot
// explain. An interrupted write tears only the frame it was writing, the
// last one: so what follows end must be shorter than one frame and hold no
// intact frame. A damaged frame with an intact one after it is damage to a
// checkpoint that newer signed checkpoints follow, and cutting it as a torn
// tail would silently delete them.
func (s *fileStore) checkTornCheckpoint(end, size int64) error {
	bad := checkpointTampered(len(s.cpList), "checkpoint damaged")
	if size-end > maxSignedCheckpoint+frameOverhead {
		return bad
	}
	tail := make([]byte, size-end)
	if _, err := s.cps.ReadAt(tail, end); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if len(tail) > 0 && holdsFrame(tail[1:], maxSignedCheckpoint) {
		return bad
	}
	return nil
}

// holdsFrame reports whether an intact frame of at most maxLen bytes starts
// anywhere in b. A torn frame is a prefix of one frame, maybe followed by
// zeros; a CRC-32C matching by chance inside it is a 2^-32 event per
// offset, and the length field rules out most offsets before that.
func holdsFrame(b []byte, maxLen uint32) bool {
	for p := 0; p+frameOverhead <= len(b); p++ {
		n := binary.BigEndian.Uint32(b[p:])
		if n > maxLen || int64(n) > int64(len(b)-p-frameOverhead) {
			continue
		}
		end := p + 4 + int(n)
		if crc32.Checksum(b[p:end], crcTable) == binary.BigEndian.Uint32(b[end:]) {
			return true
		}
	}
	return false
}

func (s *fileStore) size() int64        { return s.n }
func (s *fileStore) recovery() recovery { return s.rec }

// readHashes may run concurrently with append: it reads only hashes of
// acknowledged entries, which append never rewrites, and it does not look at
// the fields append changes.
func (s *fileStore) readHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if x < 0 {
			return nil, fmt.Errorf("audit: stored hash %d not present", x)
		}
		if _, err := s.hashes.ReadAt(out[i][:], int64(hashHeaderSize)+x*tlog.HashSize); err != nil {
			return nil, fmt.Errorf("audit: read hashes: %w", err)
		}
	}
	return out, nil
}

// append writes the entries to the segment files (starting new ones as
// needed) and fdatasyncs them, one sync for the batch, then writes their
// stored hashes without syncing them, and checks that the files are still
// the log's before it returns. A stored hash is thus never written before
// its entry is durable, and the hash file is synced before each new segment
// file and each checkpoint: see openSegments for how Open uses that.
func (s *fileStore) append(_ context.Context, first int64, entries [][]byte, hashes []tlog.Hash) (err error) {
	if s.broken != nil {
		return s.broken
	}
	if first != s.n {
		return fmt.Errorf("audit: append at %d to a store of %d entries", first, s.n)
	}
	// Remember the state to roll back to.
	nSegs, cur, curOff, curCount, hashOff := len(s.segs), s.cur, s.curOff, s.curCount, s.hashOff
	var opened []storeFile
	gone := false // the files are no longer at their paths: remove nothing by name
	defer func() {
		if err == nil {
			for _, f := range opened[:max(len(opened)-1, 0)] {
				f.Close()
			}
			return
		}
		if rerr := s.rollback(nSegs, cur, curOff, hashOff, opened, !gone); rerr != nil || errors.As(err, new(fatalError)) {
			// After a failed fsync the page cache may hold data the disk
			// does not (and a later fsync may report success); only a
			// reopen, which rereads the disk, is safe.
			s.broken = fmt.Errorf("%w: %w", ErrLogFailed, err)
			err = s.broken
		}
		s.curCount = curCount
	}()
	var buf []byte
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		if _, err := s.cur.WriteAt(buf, s.curOff); err != nil {
			return fmt.Errorf("audit: write entries: %w", err)
		}
		if err := s.cur.Sync(); err != nil {
			return fatalError{fmt.Errorf("audit: sync entries: %w", err)}
		}
		s.curOff += int64(len(buf))
		buf = buf[:0]
		return nil
	}
	written := 0 // stored hashes of the batch written so far
	for i, data := range entries {
		if s.curCount == s.segEntries {
			if err := flush(); err != nil {
				return err
			}
			// A segment file exists only once the stored hashes of
			// every entry before it are durable: Open trusts them.
			idx := first + int64(i)
			k := int(tlog.StoredHashCount(idx) - tlog.StoredHashCount(first))
			if err := s.writeHashes(hashes[written:k]); err != nil {
				return err
			}
			written = k
			if err := s.syncHashes(); err != nil {
				return err
			}
			// create works by name: never in a directory that replaced
			// the log's.
			if err := s.checkAlive(); err != nil {
				gone = true
				return err
			}
			f, err := s.create(segmentName(idx), segmentHeader(idx))
			if err != nil {
				return err
			}
			opened = append(opened, f)
			s.segs = append(s.segs, segment{idx, segmentName(idx)})
			s.cur, s.curOff, s.curCount = f, segmentHeaderSize, 0
		}
		buf = appendFrame(buf, data)
		s.curCount++
	}
	if err := flush(); err != nil {
		return err
	}
	if err := s.writeHashes(hashes[written:]); err != nil {
		return err
	}
	if err := s.checkAlive(); err != nil {
		gone = true
		return err
	}
	if len(opened) > 0 && cur != s.cur {
		cur.Close()
	}
	s.n += int64(len(entries))
	return nil
}

// rollback undoes a failed append: it truncates what was written and
// removes segment files the append created.
func (s *fileStore) rollback(nSegs int, cur storeFile, curOff, hashOff int64, opened []storeFile, byName bool) error {
	var errs []error
	for _, f := range opened {
		f.Close()
	}
	for _, seg := range s.segs[nSegs:] {
		if byName {
			errs = append(errs, os.Remove(s.path(seg.name)))
		}
		delete(s.files, seg.name)
	}
	s.segs = s.segs[:nSegs]
	s.cur, s.curOff = cur, curOff
	errs = append(errs, s.truncate(cur, curOff), s.truncate(s.hashes, hashOff))
	s.hashOff = hashOff
	if len(opened) > 0 && byName {
		errs = append(errs, s.fs.SyncDir(s.dir))
	}
	return errors.Join(errs...)
}

func (s *fileStore) checkpoints(context.Context) ([][]byte, error) {
	return slices.Clone(s.cpList), nil
}

func (s *fileStore) addCheckpoint(_ context.Context, _ int64, signed []byte) error {
	if s.broken != nil {
		return s.broken
	}
	// The checkpoint vouches for stored hashes Open will trust.
	if err := s.syncHashes(); err != nil {
		s.broken = fmt.Errorf("%w: %w", ErrLogFailed, err)
		return s.broken
	}
	frame := appendFrame(nil, signed)
	if _, err := s.cps.WriteAt(frame, s.cpOff); err != nil {
		err = fmt.Errorf("audit: write checkpoint: %w", err)
		if terr := s.truncate(s.cps, s.cpOff); terr != nil {
			s.broken = fmt.Errorf("%w: %w", ErrLogFailed, errors.Join(err, terr))
			return s.broken
		}
		return err
	}
	if err := s.cps.Sync(); err != nil {
		s.broken = fmt.Errorf("%w: audit: sync checkpoint: %w", ErrLogFailed, err)
		return s.broken
	}
	if err := s.checkAlive(); err != nil {
		s.broken = fmt.Errorf("%w: %w", ErrLogFailed, err)
		return s.broken
	}
	s.cpOff += int64(len(frame))
	s.cpList = append(s.cpList, slices.Clone(signed))
	return nil
}

func (s *fileStore) close() error {
	var errs []error
	if s.broken == nil && s.hashes != nil {
		errs = append(errs, s.hashes.Sync()) // spares the next Open a rehash
		if err := s.checkAlive(); err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrLogFailed, err))
		}
	}
	for _, f := range []storeFile{s.cur, s.hashes, s.cps} {
		if f != nil {
			errs = append(errs, f.Close())
		}
	}
	if s.lock != nil {
		errs = append(errs, s.lock.Close()) // releases the flock
	}
	return errors.Join(errs...)
}
