// 第 3 课：在 TCP 字节流上标出消息在哪里结束的三种方法，作为实验室分帧服务器的客户端
// （或者加 -serve，自己做服务器）。
//
//	go run main.go -mode length-prefix -addr 127.0.0.1:7485     # 4 字节大端序长度，然后是负载
//	go run main.go -mode delimiter -addr 127.0.0.1:7484 a b c   # 每条消息一行
//	go run main.go -mode fixed -addr 127.0.0.1:7483             # 16 字节的记录，用零字节补齐
//	go run main.go -mode length-prefix -serve 127.0.0.1:9000    # 一个长度前缀回显服务器
//
// 客户端用一次 Write 写出全部消息，所以它们粘在一起到达；
// 它再一帧一帧地读回回显。
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
)

// maxFrame 限制长度前缀帧的大小：错误或恶意的长度头不能让我们分配 4 GiB。
const maxFrame = 1 << 20

// maxLine 限制分隔符分出的一行的长度，理由相同。
const maxLine = 4096

var errFrameTooLarge = errors.New("frame too large")

// framing 把一条消息写到 w，再从 r 读回一条。
type framing interface {
	write(w io.Writer, msg []byte) error
	read(r *bufio.Reader) ([]byte, error)
}

// lengthPrefix：长度头是 binary.BigEndian.PutUint32(len)，和 Python 的 struct.pack('!I', n) 字节相同。
type lengthPrefix struct{}

func (lengthPrefix) write(w io.Writer, msg []byte) error {
	if len(msg) > maxFrame {
		return errFrameTooLarge
	}
	frame := make([]byte, 4+len(msg))
	binary.BigEndian.PutUint32(frame, uint32(len(msg)))
	copy(frame[4:], msg)
	_, err := w.Write(frame) // 一次 Write：长度头和负载一起交给内核
	return err
}

func (lengthPrefix) read(r *bufio.Reader) ([]byte, error) {
	var header [4]byte
	// 用 io.ReadFull，不用 r.Read：一次 Read 可能只返回长度头的一部分。
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err // 两帧之间的 io.EOF 是正常结束；io.ErrUnexpectedEOF 是被截断的长度头
	}
	n := binary.BigEndian.Uint32(header[:])
	if n > maxFrame {
		return nil, fmt.Errorf("%w: header says %d bytes", errFrameTooLarge, n) // 在 make() 之前检查
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		if errors.Is(err, io.EOF) {
			// 帧体一个字节都没来：这仍然是被截断的帧，不是正常结束，所以不是 io.EOF。
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("frame of %d bytes cut off: %w", n, err)
	}
	return payload, nil
}

// delimiter：每条消息以 '\n' 结尾，所以消息里不能有 '\n'（这里不做转义）。
type delimiter struct{}

func (delimiter) write(w io.Writer, msg []byte) error {
	if bytes.IndexByte(msg, '\n') >= 0 {
		return errors.New("message contains the delimiter")
	}
	_, err := w.Write(append(append([]byte{}, msg...), '\n'))
	return err
}

func (delimiter) read(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		// 缓冲区里找不到 '\n' 时 ReadSlice 返回 bufio.ErrBufferFull：长度由我们自己限制。
		part, err := r.ReadSlice('\n')
		line = append(line, part...)
		if len(line) > maxLine+1 {
			return nil, fmt.Errorf("line longer than %d bytes", maxLine)
		}
		if err == nil {
			return bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r")), nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) && len(line) > 0 {
				return nil, io.ErrUnexpectedEOF // 最后一行没有 '\n'，被截断了
			}
			return nil, err
		}
	}
}

// fixed：每条记录都是 size 字节；较短的消息用零字节补齐。
type fixed struct{ size int }

func (f fixed) write(w io.Writer, msg []byte) error {
	if len(msg) > f.size {
		return fmt.Errorf("message of %d bytes does not fit a %d-byte record", len(msg), f.size)
	}
	record := make([]byte, f.size) // msg 之后的零字节就是填充
	copy(record, msg)
	_, err := w.Write(record)
	return err
}

func (f fixed) read(r *bufio.Reader) ([]byte, error) {
	record := make([]byte, f.size)
	if _, err := io.ReadFull(r, record); err != nil {
		return nil, err
	}
	// 去掉填充会让本身以零字节结尾的消息丢掉这些字节：要了解你的消息。
	return bytes.TrimRight(record, "\x00"), nil
}

func main() {
	mode := flag.String("mode", "length-prefix", "length-prefix, delimiter or fixed")
	addr := flag.String("addr", "127.0.0.1:7485", "the framing server to talk to")
	serve := flag.String("serve", "", "run an echo server on this address instead of a client")
	size := flag.Int("size", 16, "record size for -mode fixed")
	flag.Parse()

	var f framing
	switch *mode {
	case "length-prefix":
		f = lengthPrefix{}
	case "delimiter":
		f = delimiter{}
	case "fixed":
		f = fixed{size: *size}
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}
	if *serve != "" {
		runServer(*serve, f)
		return
	}
	messages := flag.Args()
	if len(messages) == 0 {
		messages = []string{"hello", "sticky", "packets"}
	}
	if err := runClient(*addr, f, messages); err != nil {
		log.Fatal(err)
	}
}

func runClient(addr string, f framing, messages []string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	// 把每条消息分帧后放进一个缓冲区，用一次 Write 发出：服务器收到的它们是粘在一起的。
	var out bytes.Buffer
	for _, m := range messages {
		if err := f.write(&out, []byte(m)); err != nil {
			return fmt.Errorf("framing %q: %w", m, err)
		}
	}
	if _, err := conn.Write(out.Bytes()); err != nil {
		return err
	}
	fmt.Printf("sent %d messages as %d bytes in one write\n", len(messages), out.Len())
	r := bufio.NewReader(conn)
	for i := range messages {
		msg, err := f.read(r)
		if err != nil {
			return fmt.Errorf("reading echo %d: %w", i, err)
		}
		fmt.Printf("echo %d: %q\n", i, msg)
	}
	return nil
}

func runServer(addr string, f framing) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatalf("listen on %s: %v", addr, err)
	}
	log.Printf("framing echo server on %s", ln.Addr())
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("accept: %v", err)
			continue
		}
		go handle(conn, f)
	}
}

// handle 读取帧，直到客户端关闭，并把每一帧按同样的分帧方式写回。
func handle(conn net.Conn, f framing) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	w := bufio.NewWriter(conn)
	for {
		msg, err := f.read(r)
		if errors.Is(err, io.EOF) {
			return // 客户端在两帧之间关闭了
		}
		if err != nil {
			log.Printf("%s: %v; closing", conn.RemoteAddr(), err) // 坏帧：字节流无法重新同步
			return
		}
		if err := f.write(w, msg); err != nil {
			return
		}
		// 没有更多输入在等待时再 Flush，这样一起到达的帧会用一次写入发回。
		if r.Buffered() == 0 {
			if err := w.Flush(); err != nil {
				return
			}
		}
	}
}
