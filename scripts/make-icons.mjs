#!/usr/bin/env node
// Draws the app icon and writes the files electron-builder takes from build/ (no network, no image tool):
//   build/icons/<n>x<n>.png  Linux (AppImage, deb) and the source of the two below
//   build/icon.ico           Windows (nsis): PNG-compressed entries 16…256
//   build/icon.icns          macOS (dmg): PNG entries 16…1024
// The files are committed; rerun `node scripts/make-icons.mjs` after changing the drawing.
// The icon is a globe (an atlas) on a rounded square: each size is drawn on its own, anti-aliased by
// distance to the shapes, so small sizes stay sharp instead of being scaled down from 1024.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
/** ICNS element types holding PNG data, by pixel size (Apple's icns format; 1x and 2x slots). */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512]
]

const BACKGROUND = [15, 108, 189] // Fluent's brand blue (#0F6CBD)
const INK = [255, 255, 255]

/** RGBA pixels of the icon at size n. */
export function drawIcon(n) {
  const px = Buffer.alloc(n * n * 4)
  const unit = n / 1024 // the drawing is specified on a 1024 grid
  const half = 512
  const radius = 300 // the globe
  const stroke = Math.max(34, 1.2 / unit) / 2 // never thinner than ~1.2 px
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const gx = (x + 0.5) / unit - half
      const gy = (y + 0.5) / unit - half
      const aa = 0.5 / unit // half a pixel, in grid units
      const bg = coverage(roundedSquareDistance(gx, gy, 440, 180), aa)
      const r = Math.hypot(gx, gy)
      let ink = coverage(Math.abs(r - radius) - stroke, aa) // the outline
      if (r < radius) {
        // meridians: ellipses with shrinking width, and the equator plus two parallels
        for (const w of [0, 0.5])
          ink = Math.max(ink, coverage(meridianDistance(gx, gy, radius, w) - stroke, aa))
        for (const lat of [0, -0.5, 0.5])
          ink = Math.max(ink, coverage(Math.abs(gy - lat * radius) - stroke, aa))
      }
      const i = (y * n + x) * 4
      for (let c = 0; c < 3; c++) px[i + c] = Math.round(BACKGROUND[c] * (1 - ink) + INK[c] * ink)
      px[i + 3] = Math.round(255 * bg)
    }
  }
  return px
}

function coverage(distance, aa) {
  return Math.min(1, Math.max(0, 0.5 - distance / (2 * aa)))
}

function roundedSquareDistance(x, y, halfSide, corner) {
  const qx = Math.abs(x) - halfSide + corner
  const qy = Math.abs(y) - halfSide + corner
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - corner
}

/** Approximate distance to the ellipse x²/(w·r)² + y²/r² = 1 (w = 0: the vertical axis). */
function meridianDistance(x, y, r, w) {
  if (w === 0) return Math.abs(x)
  const a = w * r
  const k = Math.hypot(x / a, y / r)
  const grad = Math.hypot(x / (a * a), y / (r * r)) / (k || 1)
  return Math.abs(k - 1) / (grad || 1)
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A PNG file (8-bit RGBA, no interlace) of n×n pixels. */
export function encodePng(n, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(n, 0)
  ihdr.writeUInt32BE(n, 4)
  ihdr.set([8, 6, 0, 0, 0], 8) // bit depth 8, colour type 6 (RGBA)
  const raw = Buffer.alloc(n * (n * 4 + 1))
  for (let y = 0; y < n; y++) rgba.copy(raw, y * (n * 4 + 1) + 1, y * n * 4, (y + 1) * n * 4) // filter 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

/** An ICO file whose entries are PNGs (Windows Vista and later read them; 256 is stored as 0). */
export function encodeIco(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length)
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(pngs.length, 4)
  let offset = header.length
  pngs.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i
    header[e] = size >= 256 ? 0 : size
    header[e + 1] = size >= 256 ? 0 : size
    header.writeUInt16LE(1, e + 4) // colour planes
    header.writeUInt16LE(32, e + 6) // bits per pixel
    header.writeUInt32LE(png.length, e + 8)
    header.writeUInt32LE(offset, e + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...pngs.map((p) => p.png)])
}

/** An ICNS file: 'icns' + total length, then (type, length incl. 8-byte header, PNG data) elements. */
export function encodeIcns(elements) {
  const parts = elements.map(({ type, png }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + parts.reduce((sum, p) => sum + p.length, 0), 4)
  return Buffer.concat([head, ...parts])
}

function main() {
  const out = join(ROOT, 'build')
  mkdirSync(join(out, 'icons'), { recursive: true })
  const png = new Map(PNG_SIZES.map((n) => [n, encodePng(n, drawIcon(n))]))
  for (const [n, data] of png) writeFileSync(join(out, 'icons', `${n}x${n}.png`), data)
  writeFileSync(join(out, 'icon.ico'), encodeIco(ICO_SIZES.map((size) => ({ size, png: png.get(size) }))))
  writeFileSync(
    join(out, 'icon.icns'),
    encodeIcns(ICNS_TYPES.map(([type, n]) => ({ type, png: png.get(n) })))
  )
  console.log(`icons written to ${out}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
