import { useCallback, useState } from 'react'

/**
 * An element's width in CSS pixels, kept current as it resizes (0 until it is laid out). Returns a
 * callback ref: the observer follows whichever element the ref is given and stops when it is removed.
 */
export function useElementWidth(): [width: number, ref: (el: HTMLElement | null) => () => void] {
  const [width, setWidth] = useState(0)
  const ref = useCallback((el: HTMLElement | null) => {
    if (!el) return () => {}
    const observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect
      if (box) setWidth(Math.round(box.width))
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [])
  return [width, ref]
}
