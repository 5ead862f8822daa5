import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceType } from '../../src/domain/evidence-files.ts';
import { EvidenceStore } from '../../src/files/evidence-store.ts';
import { serveFiles } from '../helpers/file-server.ts';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]);

describe('evidence file kinds', () => {
  it('are read from the bytes, not the name', () => {
    expect(evidenceType(PDF, 'report.pdf')).toBe('application/pdf');
    expect(evidenceType(PDF, 'report.txt')).toBe('application/pdf');
    expect(evidenceType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'a.bin')).toBe(
      'image/png',
    );
    expect(evidenceType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'photo')).toBe('image/jpeg');
    expect(evidenceType(Buffer.from('\0\0\0\x18ftypmp42'), 'clip.mp4')).toBe('video/mp4');
    expect(evidenceType(ZIP, 'ledger.xlsx')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(evidenceType(Buffer.from('name,amount\nZhu,3\n'), 'transfers.csv')).toBe('text/csv');
    expect(evidenceType(Buffer.from('Notes: Ürümqi, 2019'), 'notes.txt')).toBe('text/plain');
  });

  it('refuse what can run or hide something, and text that is not text', () => {
    expect(evidenceType(Buffer.from('MZ\x90\0\x03'), 'invoice.pdf')).toBeUndefined();
    expect(evidenceType(Buffer.from('#!/bin/sh\nrm -rf /\n'), 'run.sh')).toBeUndefined();
    expect(evidenceType(Buffer.from('<html><script>x()</script></html>'), 'page.html')).toBeUndefined();
    expect(evidenceType(Buffer.from('<svg onload="x()"/>'), 'logo.svg')).toBeUndefined();
    expect(evidenceType(ZIP, 'bundle.zip')).toBeUndefined();
    expect(evidenceType(Buffer.from([0x41, 0x00, 0x42]), 'notes.txt')).toBeUndefined();
    expect(evidenceType(Buffer.from([0xc3, 0x28]), 'notes.txt')).toBeUndefined();
  });
});

describe('the evidence store', () => {
  let dir: string;
  let host: Awaited<ReturnType<typeof serveFiles>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evidence-'));
    host = await serveFiles();
  });
  afterAll(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a file once under its SHA-256, which it computes itself', async () => {
    const store = new EvidenceStore(dir, 1024);
    host.files.set('/report.pdf', PDF);
    const first = await store.download({
      url: host.url('/report.pdf'),
      name: '../../etc/report.pdf',
      size: PDF.length,
    });
    const sha256 = createHash('sha256').update(PDF).digest('hex');
    expect(first).toEqual({ sha256, size: PDF.length, type: 'application/pdf', name: 'report.pdf' });
    expect(await readFile(join(dir, sha256.slice(0, 2), sha256))).toEqual(PDF);
    expect(await store.keep('again.pdf', PDF)).toMatchObject({ sha256, name: 'again.pdf' });
    expect(await readdir(join(dir, sha256.slice(0, 2)))).toEqual([sha256]);
  });

  it('refuses a file too large, whether stated or not, and a refused kind, keeping nothing', async () => {
    const store = new EvidenceStore(join(dir, 'small'), 1_048_576);
    const big = Buffer.concat([PDF, Buffer.alloc(1_048_576)]);
    host.files.set('/big.pdf', big);
    await expect(
      store.download({ url: host.url('/big.pdf'), name: 'big.pdf', size: big.length }),
    ).rejects.toThrow('big.pdf is 2 MB; evidence files can be at most 1 MB');
    // The platform said it was small: the download stops at the limit all the same.
    await expect(store.download({ url: host.url('/big.pdf'), name: 'big.pdf', size: 10 })).rejects.toThrow(
      'evidence files can be at most 1 MB',
    );
    host.files.set('/tool.pdf', Buffer.from('MZ\x90\0'));
    await expect(store.download({ url: host.url('/tool.pdf'), name: 'tool.pdf' })).rejects.toThrow(
      'tool.pdf is not a kind of file accepted as evidence',
    );
    await expect(store.download({ url: host.url('/missing.pdf'), name: 'missing.pdf' })).rejects.toThrow(
      'Could not download missing.pdf (HTTP 404)',
    );
    await expect(readdir(join(dir, 'small'))).rejects.toThrow(/ENOENT/);
  });
});
