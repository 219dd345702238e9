// Blob store in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, Garage...), for
// nodes that share no disk or a store that must outgrow one. Objects appear whole or not
// at all in S3, so readers never see a partial blob. A verified upload goes up as one
// streaming PutObject with its SHA-256 in x-amz-checksum-sha256, so the object store
// checks the bytes once more on arrival; a stream of unknown length (or beyond the 5 GiB
// of one PutObject) goes up as a multipart upload, one part in memory at a time.
//
// Tested against tests/helpers/s3-standin.ts, an S3 protocol stand-in on node:http that
// checks SigV4 signatures and implements the operations used here (path-style bucket,
// Put/Get with Range/Head/Delete, multipart, XML errors): no real S3 or MinIO was
// available where this was written, so behaviour specific to one vendor is untested.
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { S3Config } from '../config';
import { blobNotFound, type BlobFacts, type BlobStat, type BlobStore } from './index';

const MIB = 1024 * 1024;
/** The largest object one PutObject may create. */
const MAX_PUT_BYTES = 5 * 1024 * MIB;
const CONTENT_TYPE = 'application/octet-stream';

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** Cuts a stream into buffers of exactly `size` bytes (the last one shorter). */
async function* parts(body: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    pending.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    while (length >= size) {
      const all = Buffer.concat(pending, length);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      length -= size;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}

export interface S3BlobStoreOptions {
  /** Part size of multipart uploads (S3: at least 5 MiB). */
  partSize?: number;
}

export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly partSize: number;

  constructor(config: S3Config, options: S3BlobStoreOptions = {}) {
    this.bucket = config.bucket;
    this.partSize = options.partSize ?? 8 * MIB;
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      // Without keys in the configuration, the SDK's usual chain (instance role, ~/.aws).
      credentials: config.accessKeyId ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } : undefined,
      // Checksums only where we give them (x-amz-checksum-sha256): the SDK's default CRC32
      // trailers need aws-chunked uploads, which many S3-compatible stores refuse.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Fails at start, not on the first upload, when the bucket is not reachable. */
  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  async stat(key: string): Promise<BlobStat | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      return out.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) throw blobNotFound(key);
      throw error;
    }
  }

  async write(key: string, body: Readable, facts?: BlobFacts): Promise<BlobStat> {
    if (facts && facts.size <= MAX_PUT_BYTES) return this.put(key, body, facts);
    return this.multipart(key, body);
  }

  async putFile(key: string, path: string, facts: BlobFacts): Promise<BlobStat> {
    return this.write(key, createReadStream(path, { highWaterMark: MIB }), facts);
  }

  async moveFile(key: string, path: string, facts: BlobFacts): Promise<BlobStat> {
    const stored = await this.putFile(key, path, facts);
    await rm(path, { force: true });
    return stored;
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async put(key: string, body: Readable, facts: BlobFacts): Promise<BlobStat> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: facts.size,
        ContentType: CONTENT_TYPE,
        ChecksumSHA256: Buffer.from(facts.sha256, 'hex').toString('base64'),
      }),
    );
    return { size: facts.size };
  }

  private async multipart(key: string, body: Readable): Promise<BlobStat> {
    const source = parts(body, this.partSize);
    const first = await source.next();
    const firstPart = first.done ? Buffer.alloc(0) : first.value;
    if (firstPart.length < this.partSize) {
      // All of it fits in one part: one PutObject.
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: firstPart, ContentLength: firstPart.length, ContentType: CONTENT_TYPE }));
      return { size: firstPart.length };
    }
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: CONTENT_TYPE }));
    try {
      const done: { ETag: string | undefined; PartNumber: number }[] = [];
      let size = 0;
      let part: Buffer | undefined = firstPart;
      for (let number = 1; part; number++) {
        const out = await this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber: number, Body: part, ContentLength: part.length }));
        done.push({ ETag: out.ETag, PartNumber: number });
        size += part.length;
        const next = await source.next();
        part = next.done ? undefined : next.value;
      }
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId, MultipartUpload: { Parts: done } }));
      return { size };
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId })).catch(() => {});
      throw error;
    }
  }
}
