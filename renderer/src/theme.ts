import { useEffect, useState } from 'react'
import { webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components'

const DARK_QUERY = '(prefers-color-scheme: dark)'

/** Light or dark as the OS says, live: Electron's nativeTheme feeds the same media query. */
export function useOsTheme(): Theme {
  const [dark, setDark] = useState(() => window.matchMedia(DARK_QUERY).matches)
  useEffect(() => {
    const query = window.matchMedia(DARK_QUERY)
    const onChange = (e: MediaQueryListEvent) => setDark(e.matches)
    query.addEventListener('change', onChange)
    return () => query.removeEventListener('change', onChange)
  }, [])
  return dark ? webDarkTheme : webLightTheme
}
