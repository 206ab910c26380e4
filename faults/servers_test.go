package faults

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const pgBin = "/usr/lib/postgresql/15/bin"

// freePort asks the kernel for a port nobody listens on.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// pgCluster is a PostgreSQL cluster of the test's own, in a temporary
// directory, on a free port: the test may stop and start it at will.
type pgCluster struct {
	t    testing.TB
	dir  string
	port int
	as   []string // the command prefix that runs a PostgreSQL binary as a non-root user
}

// asPostgresUser returns the prefix that runs a command as an unprivileged
// user: initdb and postgres refuse to run as root.
func asPostgresUser(t testing.TB) []string {
	if os.Geteuid() != 0 {
		return nil
	}
	if _, err := user.Lookup("postgres"); err != nil {
		t.Fatalf("running as root and there is no postgres user to run a throwaway cluster as: %v", err)
	}
	runuser, err := exec.LookPath("runuser")
	if err != nil {
		runuser = "/usr/sbin/runuser" // root's PATH may lack sbin
	}
	return []string{runuser, "-u", "postgres", "--"}
}

// startPostgres initialises a cluster (trust auth, fsync off) and starts it.
// synchronous_commit stays on: an immediate stop is a crash, and commits
// answered before it must survive it.
func startPostgres(t testing.TB) *pgCluster {
	t.Helper()
	// The data directory must be reachable by the postgres user: t.TempDir's
	// directories are 0700 and root's.
	base, err := os.MkdirTemp("", "carebroker-faults-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	c := &pgCluster{t: t, dir: filepath.Join(base, "data"), port: freePort(t), as: asPostgresUser(t)}
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(c.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if c.as != nil {
		if out, err := exec.Command("chown", "postgres:postgres", c.dir).CombinedOutput(); err != nil {
			t.Fatalf("chown %s: %v %s", c.dir, err, out)
		}
	}
	c.run("initdb", "-D", c.dir, "-U", "postgres", "--auth-local=trust", "--auth-host=trust", "-N", "-E", "UTF8", "--locale=C")
	c.Start()
	t.Cleanup(func() {
		c.pgctl("stop", "-m", "immediate")
	})
	return c
}

func (c *pgCluster) run(bin string, args ...string) string {
	c.t.Helper()
	cmd := append(append([]string{}, c.as...), append([]string{filepath.Join(pgBin, bin)}, args...)...)
	out, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput()
	if err != nil {
		c.t.Fatalf("%s: %v\n%s", strings.Join(cmd, " "), err, out)
	}
	return string(out)
}

func (c *pgCluster) pgctl(args ...string) error {
	cmd := append(append([]string{}, c.as...), filepath.Join(pgBin, "pg_ctl"), "-D", c.dir, "-w", "-t", "60")
	cmd = append(cmd, args...)
	out, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", strings.Join(cmd, " "), err, out)
	}
	return nil
}

// Start starts the cluster and waits until it accepts connections.
func (c *pgCluster) Start() {
	c.t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200",
		c.port, c.dir)
	if err := c.pgctl("start", "-l", filepath.Join(c.dir, "server.log"), "-o", opts); err != nil {
		c.t.Fatal(err)
	}
}

// Stop stops the cluster at once (-m immediate: connections are cut, as in a crash).
func (c *pgCluster) Stop() {
	c.t.Helper()
	if err := c.pgctl("stop", "-m", "immediate"); err != nil {
		c.t.Fatal(err)
	}
}

// URL is the connection URL of database name in the cluster.
func (c *pgCluster) URL(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, name)
}

// redisServer is a redis-server of the test's own on a free port, holding
// nothing on disk.
type redisServer struct {
	t    testing.TB
	port int
	cmd  *exec.Cmd
}

func startRedis(t testing.TB) *redisServer {
	t.Helper()
	r := &redisServer{t: t, port: freePort(t)}
	r.Start()
	t.Cleanup(r.stopIfRunning)
	return r
}

// Start runs redis-server and waits for its PONG.
func (r *redisServer) Start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "no")
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: r.Addr()})
	defer c.Close()
	deadline := time.Now().Add(20 * time.Second)
	for c.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			r.t.Fatalf("redis-server on %d never answered", r.port)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills redis-server (SIGKILL: it goes away as in a crash).
func (r *redisServer) Stop() {
	r.t.Helper()
	if r.cmd == nil {
		r.t.Fatal("redis is not running")
	}
	r.cmd.Process.Kill()
	r.cmd.Wait()
	r.cmd = nil
}

func (r *redisServer) stopIfRunning() {
	if r.cmd != nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
		r.cmd = nil
	}
}

func (r *redisServer) Addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

// URL is the redis:// URL of the server.
func (r *redisServer) URL() string { return "redis://" + r.Addr() + "/0" }
