// Lesson 27: TLS on the wire. crypto/tls on both sides, with certificates the program makes itself:
//  1. a local CA and a server certificate for localhost (never a key from the internet);
//  2. a TLS echo server, and a client that checks the certificate, negotiates TLS 1.3 or 1.2 and echoes a line;
//  3. the three certificate errors a client meets: a wrong name, an unknown CA, an expired certificate.
//
// Run it: go run main.go
// Or dial the lab's TLS servers (ports in the banner, the CA at tls/ca.pem in the data folder):
//   go run main.go -dial 127.0.0.1:PORT -ca ca.pem
package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"os"
	"time"
)

func main() {
	dial := flag.String("dial", "", "dial this TLS server (host:port) as a client instead of running the whole lesson")
	caFile := flag.String("ca", "", "with -dial: the CA certificate file (PEM) to trust")
	caPEM := flag.String("ca-pem", "", "with -dial: the CA certificate itself (PEM text)")
	name := flag.String("name", "localhost", "with -dial: the server name to check the certificate against (and send as SNI)")
	flag.Parse()

	if *dial != "" {
		pool := x509.NewCertPool()
		pem := []byte(*caPEM)
		if *caFile != "" {
			var err error
			if pem, err = os.ReadFile(*caFile); err != nil {
				log.Fatal(err)
			}
		}
		if !pool.AppendCertsFromPEM(pem) {
			log.Fatal("no CA certificate: give -ca FILE or -ca-pem TEXT")
		}
		if err := talk(*dial, &tls.Config{RootCAs: pool, ServerName: *name}, "hello over TLS"); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		return
	}

	ca := newCA("lesson 27 local CA")
	good := ca.issue([]string{"localhost"}, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	addr := serve(good)
	fmt.Println("TLS echo server on", addr)

	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	// TLS 1.3 (Go's default): one round trip, everything after the ServerHello encrypted.
	check(talk(addr, &tls.Config{RootCAs: pool, ServerName: "localhost"}, "hello over TLS 1.3"))
	// TLS 1.2 on request: two round trips, the certificate in the clear.
	check(talk(addr, &tls.Config{RootCAs: pool, ServerName: "localhost", MaxVersion: tls.VersionTLS12}, "hello over TLS 1.2"))
	// Offer only a P-384 key share first: this server prefers X25519 and asks again (HelloRetryRequest).
	check(talk(addr, &tls.Config{RootCAs: pool, ServerName: "localhost",
		CurvePreferences: []tls.CurveID{tls.CurveP384, tls.X25519}}, "hello after a retry"))

	// The three certificate errors, each from a server presenting the certificate with that flaw.
	wrongName := ca.issue([]string{"wrong.example"}, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	expired := ca.issue([]string{"localhost"}, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	stranger := newCA("a CA nobody here trusts").issue([]string{"localhost"}, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	for _, bad := range []struct {
		what string
		cert tls.Certificate
	}{{"wrong name", wrongName}, {"unknown CA", stranger}, {"expired", expired}} {
		err := talk(serve(bad.cert), &tls.Config{RootCAs: pool, ServerName: "localhost"}, "never sent")
		fmt.Printf("%s: %v\n", bad.what, err)
		var unknown x509.UnknownAuthorityError
		var invalid x509.CertificateInvalidError
		var hostname x509.HostnameError
		switch {
		case errors.As(err, &unknown):
			fmt.Println("  -> x509.UnknownAuthorityError: nobody we trust signed it")
		case errors.As(err, &invalid):
			fmt.Println("  -> x509.CertificateInvalidError, reason", invalid.Reason, "(1 = expired)")
		case errors.As(err, &hostname):
			fmt.Println("  -> x509.HostnameError: valid, but for another name")
		}
	}
}

// talk dials addr, shakes hands with cfg, sends one line and reads the echo.
func talk(addr string, cfg *tls.Config, line string) error {
	raw, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer raw.Close()
	// The local address names this connection in the lab's capture.
	fmt.Println("local", raw.LocalAddr())
	conn := tls.Client(raw, cfg)
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if err := conn.Handshake(); err != nil {
		return err // tls.Dial would return this same error
	}
	st := conn.ConnectionState()
	fmt.Printf("handshake done: %s, %s\n", versionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
	if _, err := fmt.Fprintln(conn, line); err != nil {
		return err
	}
	echo, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	fmt.Printf("echoed: %q\n", echo)
	return nil
}

// serve starts a TLS echo server with cert on a free loopback port and returns its address.
func serve(cert tls.Certificate) string {
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates:     []tls.Certificate{cert},
		MinVersion:       tls.VersionTLS12,
		CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256},
	})
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n') // the first Read runs the handshake
					if err != nil {
						return
					}
					c.Write([]byte(line))
				}
			}(conn)
		}
	}()
	return ln.Addr().String()
}

type authority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// newCA makes a certificate authority that exists only in this process.
func newCA(name string) authority {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}
	return authority{cert, key}
}

// issue signs a server certificate for names, valid from notBefore to notAfter.
func (ca authority) issue(names []string, notBefore, notAfter time.Time) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		log.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func versionName(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "TLS 1.3"
	case tls.VersionTLS12:
		return "TLS 1.2"
	}
	return fmt.Sprintf("0x%04x", v)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
