import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { getAtlas } from './atlas-client'
import './app.css'

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App atlas={getAtlas()} />
    </StrictMode>
  )
}
