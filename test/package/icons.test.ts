import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain JavaScript script without type declarations
import { drawIcon, encodePng } from '../../scripts/make-icons.mjs'
import { ROOT } from '../support/built-app'

const BUILD = join(ROOT, 'build')

function pngSize(png: Buffer): number {
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR')
  const width = png.readUInt32BE(16)
  expect(png.readUInt32BE(20)).toBe(width)
  return width
}

describe('build/ icons (scripts/make-icons.mjs)', () => {
  it('Linux PNGs at every size, identical to what the script draws now', () => {
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const file = readFileSync(join(BUILD, 'icons', `${n}x${n}.png`))
      expect(pngSize(file)).toBe(n)
      expect(file.equals(encodePng(n, drawIcon(n)) as Buffer)).toBe(true)
    }
  })

  it('a PNG decodes to the drawn pixels: transparent corners, opaque blue centre', () => {
    const png = readFileSync(join(BUILD, 'icons', '64x64.png'))
    const raw = inflateSync(png.subarray(41, 41 + png.readUInt32BE(33)))
    const at = (x: number, y: number) => raw.subarray(y * 257 + 1 + x * 4, y * 257 + 5 + x * 4)
    expect(at(0, 0)[3]).toBe(0)
    expect(at(32, 6)[3]).toBe(255)
  })

  it('Windows ICO: PNG entries 16 to 256 (256 stored as 0)', () => {
    const ico = readFileSync(join(BUILD, 'icon.ico'))
    expect(ico.readUInt16LE(2)).toBe(1)
    const count = ico.readUInt16LE(4)
    const sizes = Array.from({ length: count }, (_, i) => {
      const e = 6 + 16 * i
      const png = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8))
      expect(pngSize(png)).toBe(ico[e] || 256)
      return ico[e] || 256
    })
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256])
  })

  it('macOS ICNS: its length adds up and it holds 16 to 1024', () => {
    const icns = readFileSync(join(BUILD, 'icon.icns'))
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const sizes = new Set<number>()
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      sizes.add(pngSize(icns.subarray(at + 8, at + icns.readUInt32BE(at + 4))))
    }
    expect([...sizes].sort((a, b) => a - b)).toEqual([16, 32, 64, 128, 256, 512, 1024])
  })
})
