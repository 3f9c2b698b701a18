// Every header field of one captured segment, layer by layer, and its bytes in hex with each layer's bytes marked.
import type { PacketSegmentEvent, TcpOptionValue } from '@core/protocol/events/packet';
import { useText } from '../../app/labContext';
import { HANDSHAKE_UI } from '../../i18n/handshakeText';
import { SourceBadge } from '../common/SourceBadge';

type Field = [name: string, value: string];

const hex = (n: number, width = 4) => `0x${n.toString(16).padStart(width, '0')}`;

function optionText(o: TcpOptionValue): string {
  switch (o.kind) {
    case 'mss':
      return `MSS ${o.value}`;
    case 'wscale':
      return `window scale ${o.shift} (×${2 ** o.shift})`;
    case 'sackPermitted':
      return 'SACK permitted';
    case 'sack':
      return `SACK ${o.blocks.map(([l, r]) => `${l}-${r}`).join(' ')}`;
    case 'timestamps':
      return `timestamps val ${o.value} ecr ${o.echoReply}`;
    case 'nop':
      return 'NOP';
    case 'eol':
      return 'end of options';
    case 'unknown':
      return `kind ${o.type}, ${o.length} bytes`;
    case 'malformed':
      return `malformed (kind ${o.type} at +${o.offset})`;
  }
}

export function segmentFields(e: PacketSegmentEvent): { link: Field[]; ip: Field[]; tcp: Field[] } {
  const { link, ip, tcp } = e.headers;
  let linkFields: Field[];
  switch (link.type) {
    case 'ethernet':
      linkFields = [
        ['destination', link.destination],
        ['source', link.source],
        ['EtherType', hex(link.etherType)],
      ];
      break;
    case 'null':
    case 'loop':
      linkFields = [['address family', String(link.addressFamily)]];
      break;
    case 'sll':
      linkFields = [
        ['packet type', String(link.packetType)],
        ['ARPHRD type', String(link.arphrdType)],
        ['address', link.address],
        ['protocol', hex(link.protocol)],
      ];
      break;
    case 'sll2':
      linkFields = [
        ['protocol', hex(link.protocol)],
        ['interface index', String(link.interfaceIndex)],
        ['ARPHRD type', String(link.arphrdType)],
        ['packet type', String(link.packetType)],
        ['address', link.address],
      ];
      break;
  }
  const ipFields: Field[] =
    ip.version === 4
      ? [
          ['version', '4'],
          ['header length', `${ip.headerLength} bytes`],
          ['DSCP / ECN', `${ip.dscp} / ${ip.ecn}`],
          ['total length', String(ip.totalLength)],
          ['identification', hex(ip.identification)],
          [
            'flags',
            [ip.dontFragment ? "DF (don't fragment)" : '', ip.moreFragments ? 'MF' : ''].filter(Boolean).join(', ') ||
              'none',
          ],
          ['fragment offset', String(ip.fragmentOffset)],
          ['TTL', String(ip.ttl)],
          ['protocol', `${ip.protocol} (TCP)`],
          ['header checksum', hex(ip.checksum)],
          ['source', ip.source],
          ['destination', ip.destination],
        ]
      : [
          ['version', '6'],
          ['traffic class', hex(ip.trafficClass, 2)],
          ['flow label', hex(ip.flowLabel, 5)],
          ['payload length', String(ip.payloadLength)],
          ['next header', `${ip.nextHeader} (TCP)`],
          ['hop limit', String(ip.hopLimit)],
          ['source', ip.source],
          ['destination', ip.destination],
        ];
  const scaled =
    e.windowShift !== null && !e.flags.includes('SYN')
      ? ` (× ${2 ** e.windowShift} = ${tcp.window * 2 ** e.windowShift} bytes)`
      : '';
  const tcpFields: Field[] = [
    ['source port', String(tcp.sourcePort)],
    ['destination port', String(tcp.destinationPort)],
    ['sequence number', `${tcp.seq} (relative ${e.relSeq})`],
    [
      'acknowledgment number',
      e.relAck === null ? `${tcp.ack} (ACK flag not set)` : `${tcp.ack} (relative ${e.relAck})`,
    ],
    ['header length', `${tcp.headerLength} bytes (data offset ${tcp.dataOffset})`],
    ['flags', `${hex(tcp.flags, 3)} ${e.flags.join(', ')}`],
    ['window', `${tcp.window}${scaled}`],
    ['checksum', hex(tcp.checksum)],
    ['urgent pointer', String(tcp.urgentPointer)],
    ...tcp.options.filter((o) => o.kind !== 'nop' && o.kind !== 'eol').map((o): Field => ['option', optionText(o)]),
    ['payload', `${e.len} bytes`],
  ];
  return { link: linkFields, ip: ipFields, tcp: tcpFields };
}

function layerOf(offset: number, layout: PacketSegmentEvent['layout']): string {
  if (offset < layout.ipOffset) return 'link';
  if (offset < layout.tcpOffset) return 'ip';
  if (offset < layout.payloadOffset) return 'tcp';
  return 'payload';
}

export function SegmentDetail({ segment, onClose }: { segment: PacketSegmentEvent; onClose(): void }) {
  const t = useText(HANDSHAKE_UI);
  const fields = segmentFields(segment);
  const bytes = segment.hex.match(/../g) ?? [];
  const lines: number[] = [];
  for (let o = 0; o < bytes.length; o += 16) lines.push(o);
  return (
    <div className="hs-detail-pane" data-testid="segment-detail">
      <header className="panel-head">
        <h4>
          {t('detailTitle')} #{segment.index} · {segment.flags.join(', ')} · {segment.from} → {segment.to}
        </h4>
        <SourceBadge source="captured" />
        <span className="spacer" />
        <button type="button" className="ghost" onClick={onClose}>
          {t('detailClose')}
        </button>
      </header>
      <div className="hs-layers">
        {(
          [
            ['link', t('layerLink'), fields.link],
            ['ip', t('layerIp'), fields.ip],
            ['tcp', t('layerTcp'), fields.tcp],
          ] as const
        ).map(([key, title, list]) => (
          <table key={key} className={`hs-fields layer-${key}`}>
            <caption>{title}</caption>
            <tbody>
              {list.map(([name, value], i) => (
                <tr key={`${name}-${i}`}>
                  <th scope="row">{name}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <h5>
        {t('bytesHex')} ({segment.capturedLength} / {segment.originalLength}){' '}
        {segment.hexClipped && <span className="muted">{t('clipped')}</span>}
      </h5>
      <pre className="hs-hex" data-testid="segment-hex">
        {lines.map((o) => (
          <div key={o}>
            <span className="muted">{o.toString(16).padStart(4, '0')} </span>
            {bytes.slice(o, o + 16).map((b, i) => (
              <span key={i} className={`hex-${layerOf(o + i, segment.layout)}`}>
                {b}{' '}
              </span>
            ))}
            <span className="hs-ascii">
              {bytes
                .slice(o, o + 16)
                .map((b) => {
                  const c = parseInt(b, 16);
                  return c >= 32 && c < 127 ? String.fromCharCode(c) : '.';
                })
                .join('')}
            </span>
          </div>
        ))}
      </pre>
      <p className="hs-hex-legend">
        <span className="hex-link">{t('layerLink')}</span> <span className="hex-ip">{t('layerIp')}</span>{' '}
        <span className="hex-tcp">{t('layerTcp')}</span> <span className="hex-payload">{t('layerPayload')}</span>
      </p>
    </div>
  );
}
