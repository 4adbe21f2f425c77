/**
 * Typed command wrappers: `execute` typed by {@link QmpCommandMap}, and one method per
 * command the drivers use. Each takes the usual per-command options last.
 */
import type * as T from './command-types.js';
import type { QmpCommandMap, QmpCommandName } from './command-types.js';
import { QmpConnection } from './connection.js';
import type { QmpExecuteOptions } from './wire.js';

type O = QmpExecuteOptions;

/** The protocol plus typed commands; {@link QmpClient} is the class to use. */
export class QmpCommands extends QmpConnection {
  /** Runs a typed command: arguments and result are checked against {@link QmpCommandMap}. */
  override execute<K extends QmpCommandName>(command: K, args?: QmpCommandMap[K]['args'], options?: O): Promise<QmpCommandMap[K]['ret']>;
  /** Runs any command; the result is QEMU's `return` value, typed as the caller asserts (`T`). */
  override execute<T = unknown>(command: string, args?: Record<string, unknown>, options?: O): Promise<T>;
  override execute(command: string, args?: object, options?: O): Promise<unknown> {
    return super.execute(command, args as Record<string, unknown> | undefined, options);
  }

  /** `query-status`: run state of the VM. */
  queryStatus(o?: O): Promise<T.StatusInfo> {
    return this.execute('query-status', undefined, o);
  }
  /** `stop`: pause the VM (a STOP event follows, possibly before the reply). */
  stop(o?: O): Promise<T.Empty> {
    return this.execute('stop', undefined, o);
  }
  /** `cont`: resume the VM (RESUME event). */
  cont(o?: O): Promise<T.Empty> {
    return this.execute('cont', undefined, o);
  }
  /** `system_powerdown`: ACPI power button (POWERDOWN event). */
  systemPowerdown(o?: O): Promise<T.Empty> {
    return this.execute('system_powerdown', undefined, o);
  }
  /** `system_reset`: hard reset (RESET event). */
  systemReset(o?: O): Promise<T.Empty> {
    return this.execute('system_reset', undefined, o);
  }
  /** `quit`: QEMU exits after replying; await `closed` for the connection's end. */
  quit(o?: O): Promise<T.Empty> {
    return this.execute('quit', undefined, o);
  }
  /** `query-version`. */
  queryVersion(o?: O): Promise<T.VersionInfo> {
    return this.execute('query-version', undefined, o);
  }
  /** `query-commands`: commands this QEMU supports. */
  queryCommands(o?: O): Promise<T.CommandInfo[]> {
    return this.execute('query-commands', undefined, o);
  }
  /** `query-kvm`. */
  queryKvm(o?: O): Promise<T.KvmInfo> {
    return this.execute('query-kvm', undefined, o);
  }
  /** `query-machines`. */
  queryMachines(o?: O): Promise<T.MachineInfo[]> {
    return this.execute('query-machines', undefined, o);
  }
  /** `query-cpu-definitions`. */
  queryCpuDefinitions(o?: O): Promise<T.CpuDefinitionInfo[]> {
    return this.execute('query-cpu-definitions', undefined, o);
  }
  /** `query-cpus-fast`. */
  queryCpusFast(o?: O): Promise<T.CpuInfoFast[]> {
    return this.execute('query-cpus-fast', undefined, o);
  }
  /** `query-hotpluggable-cpus`. */
  queryHotpluggableCpus(o?: O): Promise<T.HotpluggableCpu[]> {
    return this.execute('query-hotpluggable-cpus', undefined, o);
  }
  /** `balloon`: set the guest's target memory in bytes. */
  balloon(value: number, o?: O): Promise<T.Empty> {
    return this.execute('balloon', { value }, o);
  }
  /** `query-balloon`. */
  queryBalloon(o?: O): Promise<T.BalloonInfo> {
    return this.execute('query-balloon', undefined, o);
  }
  /** `query-block`. */
  queryBlock(o?: O): Promise<T.BlockInfo[]> {
    return this.execute('query-block', undefined, o);
  }
  /** `query-blockstats`. */
  queryBlockstats(args?: { 'query-nodes'?: boolean }, o?: O): Promise<T.BlockStats[]> {
    return this.execute('query-blockstats', args, o);
  }
  /** `query-named-block-nodes`. */
  queryNamedBlockNodes(args?: { flat?: boolean }, o?: O): Promise<T.BlockDeviceInfo[]> {
    return this.execute('query-named-block-nodes', args, o);
  }
  /** `blockdev-add`. */
  blockdevAdd(args: T.BlockdevOptions, o?: O): Promise<T.Empty> {
    return this.execute('blockdev-add', args, o);
  }
  /** `blockdev-del`. */
  blockdevDel(nodeName: string, o?: O): Promise<T.Empty> {
    return this.execute('blockdev-del', { 'node-name': nodeName }, o);
  }
  /** `device_add`. */
  deviceAdd(args: T.DeviceAddArgs, o?: O): Promise<T.Empty> {
    return this.execute('device_add', args, o);
  }
  /** `device_del`: starts unplugging; DEVICE_DELETED says when it is done. */
  deviceDel(id: string, o?: O): Promise<T.Empty> {
    return this.execute('device_del', { id }, o);
  }
  /** `netdev_add`. */
  netdevAdd(args: T.NetdevAddArgs, o?: O): Promise<T.Empty> {
    return this.execute('netdev_add', args, o);
  }
  /** `netdev_del`. */
  netdevDel(id: string, o?: O): Promise<T.Empty> {
    return this.execute('netdev_del', { id }, o);
  }
  /** `query-pci`. */
  queryPci(o?: O): Promise<T.PciInfo[]> {
    return this.execute('query-pci', undefined, o);
  }
  /** `migrate`: starts an outgoing migration (e.g. to `unix:PATH` or `exec:CMD`). */
  migrate(args: T.MigrateArgs, o?: O): Promise<T.Empty> {
    return this.execute('migrate', args, o);
  }
  /** `migrate-incoming`: with `-incoming defer`, where to receive from. */
  migrateIncoming(uri: string, o?: O): Promise<T.Empty> {
    return this.execute('migrate-incoming', { uri }, o);
  }
  /** `query-migrate`. */
  queryMigrate(o?: O): Promise<T.MigrationInfo> {
    return this.execute('query-migrate', undefined, o);
  }
  /** `migrate-set-capabilities`. */
  migrateSetCapabilities(capabilities: T.MigrationCapabilityStatus[], o?: O): Promise<T.Empty> {
    return this.execute('migrate-set-capabilities', { capabilities }, o);
  }
  /** `migrate-set-parameters`. */
  migrateSetParameters(params: T.MigrateSetParameters, o?: O): Promise<T.Empty> {
    return this.execute('migrate-set-parameters', params, o);
  }
  /** `screendump`: write the display to a file (needs a display device). */
  screendump(args: T.ScreendumpArgs, o?: O): Promise<T.Empty> {
    return this.execute('screendump', args, o);
  }
  /** `human-monitor-command`: run an HMP command, returns its text output. */
  humanMonitorCommand(commandLine: string, cpuIndex?: number, o?: O): Promise<string> {
    const args = cpuIndex === undefined ? { 'command-line': commandLine } : { 'command-line': commandLine, 'cpu-index': cpuIndex };
    return this.execute('human-monitor-command', args, o);
  }
  /** `snapshot-save`: starts a job; watch JOB_STATUS_CHANGE, then `job-dismiss`. */
  snapshotSave(args: T.SnapshotArgs, o?: O): Promise<T.Empty> {
    return this.execute('snapshot-save', args, o);
  }
  /** `snapshot-load`: starts a job. */
  snapshotLoad(args: T.SnapshotArgs, o?: O): Promise<T.Empty> {
    return this.execute('snapshot-load', args, o);
  }
  /** `snapshot-delete`: starts a job. */
  snapshotDelete(args: T.SnapshotDeleteArgs, o?: O): Promise<T.Empty> {
    return this.execute('snapshot-delete', args, o);
  }
  /** `query-jobs`. */
  queryJobs(o?: O): Promise<T.JobInfo[]> {
    return this.execute('query-jobs', undefined, o);
  }
  /** `job-dismiss`: remove a concluded job. */
  jobDismiss(id: string, o?: O): Promise<T.Empty> {
    return this.execute('job-dismiss', { id }, o);
  }
  /** `query-chardev`. */
  queryChardev(o?: O): Promise<T.ChardevInfo[]> {
    return this.execute('query-chardev', undefined, o);
  }
  /** `system_wakeup`: wake a suspended guest. */
  systemWakeup(o?: O): Promise<T.Empty> {
    return this.execute('system_wakeup', undefined, o);
  }
  /** `inject-nmi`. */
  injectNmi(o?: O): Promise<T.Empty> {
    return this.execute('inject-nmi', undefined, o);
  }
  /** `send-key`: press keys (QKeyCode names or numbers) together. */
  sendKey(keys: T.KeyValue[], holdTime?: number, o?: O): Promise<T.Empty> {
    return this.execute('send-key', holdTime === undefined ? { keys } : { keys, 'hold-time': holdTime }, o);
  }
}
