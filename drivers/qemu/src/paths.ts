/**
 * Connection URIs and the directory layout they select.
 *
 * `qemu:///system` uses the system directories (root only), `qemu:///session` the user's XDG
 * directories, and `qemu:///embed?root=DIR` puts everything under DIR (as libvirt's embedded
 * driver does). Any other path is refused with libvirt's message.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { virtError, type ConnectURI } from '@virtkit/core';
import { VIR_ERR_INTERNAL_ERROR, VIR_ERR_INVALID_ARG } from './constants.js';

/** Where one driver root keeps its files. */
export interface QemuPaths {
  /** `system`, `session` or `embed`. */
  readonly kind: 'system' | 'session' | 'embed';
  /** Persistent definitions (`NAME.xml`) and `autostart/`. */
  readonly configDir: string;
  /** Status files, monitor sockets, the root lock. */
  readonly stateDir: string;
  /** Per-domain QEMU logs. */
  readonly logDir: string;
  /** Managed save images, snapshot metadata. */
  readonly libDir: string;
  /** Capabilities cache. */
  readonly cacheDir: string;
}

/** Builds the directory layout for a parsed `qemu://` URI; throws libvirt's errors on bad paths. */
export function resolvePaths(uri: ConnectURI): QemuPaths {
  if (uri.host !== undefined && uri.host !== '') {
    throw virtError(VIR_ERR_INTERNAL_ERROR, `remote URI '${uri.raw}' needs a daemon; virtkit has none`);
  }
  const privileged = process.getuid?.() === 0;
  switch (uri.path) {
    case '/embed': {
      const root = uri.query.root;
      if (root === undefined || root === '') {
        throw virtError(VIR_ERR_INVALID_ARG, "root parameter is required for 'qemu:///embed' URI");
      }
      if (!isAbsolute(root)) throw virtError(VIR_ERR_INVALID_ARG, 'root path must be absolute');
      return {
        kind: 'embed',
        configDir: join(root, 'etc', 'qemu'),
        stateDir: join(root, 'run', 'qemu'),
        logDir: join(root, 'log', 'qemu'),
        libDir: join(root, 'lib', 'qemu'),
        cacheDir: join(root, 'cache', 'qemu'),
      };
    }
    case '/system':
      if (!privileged) {
        throw virtError(VIR_ERR_INTERNAL_ERROR, `unexpected QEMU URI path '${uri.path}', try qemu:///session`);
      }
      return {
        kind: 'system',
        configDir: '/etc/virtkit/qemu',
        stateDir: '/run/virtkit/qemu',
        logDir: '/var/log/virtkit/qemu',
        libDir: '/var/lib/virtkit/qemu',
        cacheDir: '/var/cache/virtkit/qemu',
      };
    case '/session': {
      const home = homedir();
      const config = process.env.XDG_CONFIG_HOME || join(home, '.config');
      const cache = process.env.XDG_CACHE_HOME || join(home, '.cache');
      const runtime = process.env.XDG_RUNTIME_DIR || join(cache, 'virtkit', 'run');
      return {
        kind: 'session',
        configDir: join(config, 'virtkit', 'qemu'),
        stateDir: join(runtime, 'virtkit', 'qemu', 'run'),
        logDir: join(cache, 'virtkit', 'qemu', 'log'),
        libDir: join(config, 'virtkit', 'qemu', 'lib'),
        cacheDir: join(cache, 'virtkit', 'qemu', 'cache'),
      };
    }
    default:
      throw virtError(
        VIR_ERR_INTERNAL_ERROR,
        `unexpected QEMU URI path '${uri.path}', try ${privileged ? 'qemu:///system' : 'qemu:///session'}`,
      );
  }
}
