// SPDX-License-Identifier: Apache-2.0
//
// What every packaging test app does with the database, whichever way it was loaded:
// writes, a batch, a delete, reads, a prefix scan, a seek, a flush, a bad call, close.
// `open` opens it (SlateDB.open or SlateDBWorker.open with the app's options).
export async function exercise(open) {
  const db = await open();
  const text = (b) => new TextDecoder().decode(b);
  for (let i = 0; i < 40; i++) await db.put(`k${String(i).padStart(3, '0')}`, `v${i}`);
  await db.batch([['put', 'k040', 'batched'], ['put', 'k041', 'batched'], ['delete', 'k010']]);
  const value = text(await db.get('k007'));
  const deleted = (await db.get('k010')) === undefined;
  const keys = [];
  for await (const [k] of db.scanPrefix('k0')) keys.push(text(k));
  const it = db.scan('k020');
  await it.seek('k035');
  const afterSeek = text((await it.next()).value[0]);
  it.close();
  await db.flush();
  let badCall = 'no error';
  try {
    await db.put('', 'empty keys are invalid');
  } catch (e) {
    badCall = `${e.name}/${e.kind}`;
  }
  await db.close();
  return { value, deleted, keys: keys.length, last: keys.at(-1), afterSeek, badCall };
}

// The result every app must report.
export const EXPECTED = {
  value: 'v7', deleted: true, keys: 41, last: 'k041', afterSeek: 'k035', badCall: 'InvalidError/invalid',
};

// Puts the outcome where the test reads it.
export function report(promise) {
  promise.then(
    (result) => { document.body.dataset.result = JSON.stringify(result); },
    (e) => { document.body.dataset.result = JSON.stringify({ error: `${e?.name}: ${e?.message}` }); });
}
