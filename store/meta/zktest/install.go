package zktest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// installation is how to run ZooKeeper on this machine.
type installation struct {
	java      string
	classpath string
}

// findInstallation looks for java and the ZooKeeper jars.
func findInstallation() (installation, error) {
	java, err := findJava()
	if err != nil {
		return installation{}, err
	}
	cp, err := findClasspath()
	if err != nil {
		return installation{}, err
	}
	return installation{java: java, classpath: cp}, nil
}

func findJava() (string, error) {
	if home := os.Getenv("JAVA_HOME"); home != "" {
		if p := filepath.Join(home, "bin", "java"); isFile(p) {
			return p, nil
		}
	}
	p, err := exec.LookPath("java")
	if err != nil {
		return "", errors.New("java not found (install a JRE, e.g. apt-get install zookeeper, which pulls one in)")
	}
	return p, nil
}

func findClasspath() (string, error) {
	if cp := os.Getenv("KQ_ZK_CLASSPATH"); cp != "" {
		return cp, nil
	}
	// Debian's jar names its dependencies in its manifest; slf4j-simple,
	// when present, makes the server's warnings reach the log file.
	if deb := "/usr/share/java/zookeeper.jar"; isFile(deb) {
		cp := deb
		if simple := "/usr/share/java/slf4j-simple.jar"; isFile(simple) {
			cp += ":" + simple
		}
		return cp, nil
	}
	if home := os.Getenv("ZOOKEEPER_HOME"); home != "" {
		jars, _ := filepath.Glob(filepath.Join(home, "lib", "*.jar"))
		main, _ := filepath.Glob(filepath.Join(home, "zookeeper-*.jar"))
		if all := append(jars, main...); len(all) > 0 {
			return strings.Join(all, ":"), nil
		}
	}
	return "", errors.New("ZooKeeper jars not found (apt-get install zookeeper, or set ZOOKEEPER_HOME or KQ_ZK_CLASSPATH)")
}

func isFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && !info.IsDir()
}

// skipOrFail skips the test when ZooKeeper is missing, or fails it when
// KQ_REQUIRE_ZK=1 says ZooKeeper tests must run.
func skipOrFail(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("no ZooKeeper for tests: %v", err)
	if os.Getenv("KQ_REQUIRE_ZK") == "1" {
		t.Fatal(msg + " (KQ_REQUIRE_ZK=1)")
	}
	t.Skip(msg)
}
