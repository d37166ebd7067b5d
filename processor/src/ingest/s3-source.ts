import {
  GetObjectCommand,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { SourceError } from './folder-source.ts';
import { compareOldestFirst, isTrackingLogName, type LogFile } from './log-files.ts';

export interface S3Settings {
  region?: string;
  endpoint?: string;
}

/** `s3://bucket/prefix` → bucket and prefix. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new SourceError(`${url} is not an s3://bucket/prefix URL`);
  return { bucket: match[1]!, prefix: match[2]! };
}

/**
 * An S3 client for AWS or an S3-compatible store (MinIO, Ceph): a custom endpoint switches to
 * path-style addressing. Credentials come from the AWS_* environment as the SDK reads it.
 */
export function s3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region ?? 'us-east-1',
    ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
  });
}

/** Every `tracking.log*` object under the prefix (all listing pages), oldest first. */
export async function listS3Source(client: S3Client, url: string): Promise<LogFile[]> {
  const { bucket, prefix } = parseS3Url(url);
  const files: LogFile[] = [];
  try {
    for await (const page of paginateListObjectsV2(
      { client },
      { Bucket: bucket, Prefix: prefix },
    )) {
      for (const object of page.Contents ?? []) {
        if (!object.Key || !isTrackingLogName(object.Key)) continue;
        files.push(s3File(client, bucket, object.Key, object.Size ?? 0, object.ETag ?? ''));
      }
    }
  } catch (error) {
    throw new SourceError(`cannot list ${url}: ${describeS3Error(error, bucket)}`);
  }
  return files.sort((a, b) => compareOldestFirst(a.location, b.location));
}

function s3File(
  client: S3Client,
  bucket: string,
  key: string,
  size: number,
  etag: string,
): LogFile {
  return {
    location: `s3://${bucket}/${key}`,
    size,
    version: `etag:${etag}`,
    async open() {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return answer.Body as Readable;
    },
  };
}

function describeS3Error(error: unknown, bucket: string): string {
  if (error instanceof S3ServiceException && error.name === 'NoSuchBucket') {
    return `the bucket ${bucket} does not exist`;
  }
  if (error instanceof S3ServiceException) return `${error.name}: ${error.message}`;
  return (error as Error).message;
}
