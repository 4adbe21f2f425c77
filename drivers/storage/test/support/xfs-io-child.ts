/**
 * Child process of xfs-io-pool.test.ts: uploads a file into a fresh volume, then prints (as
 * JSON) how many xfs_io co-processes it has while its storage connection is open and after
 * the connection closed. With ENDLESS=1 it leaves the connection open and must still exit by
 * itself (idle co-processes never keep a program alive).
 * Args: ROOT POOLDIR FILE
 */
import { connect } from '@virtkit/core';
import { xfsIoChildren } from '../helpers.js';

const [root, dir, file] = process.argv.slice(2) as [string, string, string];

const conn = await connect(`storage:///embed?root=${root}`);
const pool = await conn.createStoragePoolXML(`<pool type='dir'><name>xio-child</name><target><path>${dir}</path></target></pool>`);
const vol = await pool.createVolXML(`<volume><name>v.img</name><capacity unit='bytes'>${8 << 20}</capacity><allocation>0</allocation></volume>`);
await vol.uploadFromFile(file);
const open = xfsIoChildren().length;
if (process.env.ENDLESS === '1') {
  console.log(JSON.stringify({ open }));
} else {
  await vol.delete();
  await pool.destroy();
  await conn.close();
  let closed = xfsIoChildren().length;
  for (let i = 0; i < 50 && closed > 0; i++) {
    await new Promise((r) => setTimeout(r, 20));
    closed = xfsIoChildren().length;
  }
  console.log(JSON.stringify({ open, closed }));
}
