import { describe, expect, it, vi } from 'vitest'
import type { AtlasApi } from '../../main/app/atlas-api'
import { createHandlers, suggestedPackName } from '../../main/ipc/handlers'

/** export:pack: main chooses the folder, the page only names the tenant. */
describe('export:pack handler', () => {
  const manifest = { files: [{ name: 'inventory.csv', rows: 3, bytes: 10, sha256: 'ab' }] }

  function setup(chosen: string | undefined, withFolderDialog: boolean) {
    const exportAuditPack = vi.fn(async ({ dir }: { tenant: string; dir: string }) => ({ dir, manifest }))
    const api = { exportAuditPack } as unknown as AtlasApi
    const chooseSavePath = vi.fn(async () => '/from-file-dialog')
    const choosePackFolder = vi.fn(async () => chosen)
    const handlers = createHandlers({
      api,
      exploreDemo: async () => ({ tenantId: 't', requestId: null }),
      chooseSavePath,
      ...(withFolderDialog ? { choosePackFolder } : {})
    })
    return { handlers, exportAuditPack, chooseSavePath, choosePackFolder }
  }

  it('asks the folder dialog with a tenant-named proposal and writes there', async () => {
    const s = setup('/home/me/Contoso pack', true)
    const outcome = await s.handlers['export:pack']({ tenant: 'Contoso, "Ltd"' })
    expect(s.choosePackFolder).toHaveBeenCalledWith('tenant-atlas-pack-Contoso-Ltd')
    expect(s.chooseSavePath).not.toHaveBeenCalled()
    expect(s.exportAuditPack).toHaveBeenCalledWith({ tenant: 'Contoso, "Ltd"', dir: '/home/me/Contoso pack' })
    expect(outcome).toEqual({
      canceled: false,
      dir: '/home/me/Contoso pack',
      files: [{ name: 'inventory.csv', rows: 3, sha256: 'ab' }]
    })
  })

  it('writes nothing when the dialog is closed', async () => {
    const s = setup(undefined, true)
    expect(await s.handlers['export:pack']({ tenant: 'Contoso' })).toEqual({ canceled: true })
    expect(s.exportAuditPack).not.toHaveBeenCalled()
  })

  it('falls back to the save-path chooser (the web host picks a free name in its export folder)', async () => {
    const s = setup(undefined, false)
    await s.handlers['export:pack']({ tenant: 'Contoso' })
    expect(s.chooseSavePath).toHaveBeenCalledWith('tenant-atlas-pack-Contoso')
    expect(s.exportAuditPack).toHaveBeenCalledWith({ tenant: 'Contoso', dir: '/from-file-dialog' })
  })

  it('proposes a name without an extension, safe on every file system', () => {
    expect(suggestedPackName('../../etc')).toBe('tenant-atlas-pack-etc')
    expect(suggestedPackName('A/B:C')).toBe('tenant-atlas-pack-A-B-C')
  })
})
