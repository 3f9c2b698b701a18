// 练习 11 的 Go 版：和 start.ts 一样的天真解码器，它假设每次 Read 都恰好是一整帧。
// 它对着实验室的回显服务器暴露这个 bug；课程讲解修复办法（io.ReadFull，或流式解码器）。
//
// 运行：go run main.go -addr 127.0.0.1:7401
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"time"
)

// maxFrame 是接受的最大负载；更大的长度说明对端出了故障或怀有恶意。
const maxFrame = 64 * 1024

// frameDecoder 是天真的版本：它相信每一块数据恰好是一帧。
type frameDecoder struct{}

// push 返回一块数据补全的帧。TODO：在两次调用之间保留不完整的帧，循环处理多个帧，
// 并在等待之前拒绝超过 maxFrame 的长度。
func (d *frameDecoder) push(chunk []byte) ([][]byte, error) {
	if len(chunk) < 4 {
		return nil, nil // 错误：这些字节丢了
	}
	n := binary.BigEndian.Uint32(chunk)
	if n > maxFrame {
		return nil, fmt.Errorf("frame of %d bytes exceeds the maximum of %d", n, maxFrame)
	}
	end := 4 + int(n)
	if end > len(chunk) {
		end = len(chunk) // 错误：半帧被当作完整的一帧返回
	}
	return [][]byte{chunk[4:end]}, nil
}

func encodeFrame(payload string) []byte {
	frame := make([]byte, 4+len(payload))
	binary.BigEndian.PutUint32(frame, uint32(len(payload)))
	copy(frame[4:], payload)
	return frame
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7401", "address of an echo server")
	flag.Parse()

	conn, err := net.Dial("tcp", *addr)
	if err != nil {
		log.Fatalf("dial %s: %v", *addr, err)
	}
	defer conn.Close()

	messages := []string{"hello", "sticky", "packets"}
	var all []byte
	for _, m := range messages {
		all = append(all, encodeFrame(m)...)
	}
	if _, err := conn.Write(all); err != nil {
		log.Fatalf("write: %v", err)
	}
	fmt.Printf("wrote %d frames in one write (%d bytes)\n", len(messages), len(all))

	var dec frameDecoder
	buf := make([]byte, 4096)
	decoded := 0
	if err := conn.SetReadDeadline(time.Now().Add(2 * time.Second)); err != nil {
		log.Fatalf("deadline: %v", err)
	}
	for decoded < len(messages) {
		n, err := conn.Read(buf)
		if n > 0 {
			fmt.Printf("read %d bytes\n", n)
			frames, derr := dec.push(buf[:n])
			if derr != nil {
				log.Fatalf("decode: %v", derr)
			}
			for _, f := range frames {
				decoded++
				fmt.Printf("  frame %d: %q\n", decoded, f)
			}
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			fmt.Println("read: i/o timeout")
			break
		}
		if err != nil {
			fmt.Println("read:", err)
			break
		}
	}
	fmt.Printf("decoded %d of %d frames\n", decoded, len(messages))
}
