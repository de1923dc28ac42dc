package harness

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// peerPid returns the id of the local process on the other end of a TCP
// connection accepted on loopback: the socket's inode from /proc/net/tcp,
// then the process holding that inode among the fds this user can read.
// 0 when it cannot tell (the peer exited, another user's process).
func peerPid(c net.Conn) int {
	peer, ok1 := c.RemoteAddr().(*net.TCPAddr)
	us, ok2 := c.LocalAddr().(*net.TCPAddr)
	if !ok1 || !ok2 {
		return 0
	}
	inode, err := socketInode(peer, us) // the peer's end: bound to its address, connected to ours
	if err != nil {
		return 0
	}
	return inodeOwner(inode)
}

// socketInode finds the inode of the socket bound to local and connected
// to remote in /proc/net/tcp (IPv4 loopback only: the proxies listen on
// 127.0.0.1).
func socketInode(local, remote *net.TCPAddr) (string, error) {
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return "", err
	}
	defer f.Close()
	want := procAddr(local) + " " + procAddr(remote)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
		if len(fields) >= 10 && fields[1]+" "+fields[2] == want {
			return fields[9], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no socket %s", want)
}

// procAddr spells an IPv4 address as /proc/net/tcp does: the address as
// a little-endian hex word, the port as big-endian hex.
func procAddr(a *net.TCPAddr) string {
	ip := a.IP.To4()
	if ip == nil {
		return ""
	}
	return fmt.Sprintf("%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], a.Port)
}

// inodeOwner scans /proc/<pid>/fd for the socket.
func inodeOwner(inode string) int {
	target := "socket:[" + inode + "]"
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		dir := filepath.Join("/proc", p.Name(), "fd")
		fds, err := os.ReadDir(dir)
		if err != nil {
			continue // another user's process, or gone
		}
		for _, fd := range fds {
			if l, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && l == target {
				return pid
			}
		}
	}
	return 0
}
