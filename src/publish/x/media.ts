import type { ITwitterApiClientPlugin, TwitterApi } from 'twitter-api-v2';
import type { ImageAttachment } from '../platform.ts';

/** X takes up to 4 images per post, and alt text up to 1,000 characters (`CreateMediaMetadataMetadataAltText`). */
export const X_MAX_IMAGES = 4;
export const X_MAX_ALT = 1000;

/**
 * Uploads images through API v2's chunked media upload
 * (`/2/media/upload/initialize`, `/{id}/append`, `/{id}/finalize`, the
 * endpoints of X's OpenAPI description, as twitter-api-v2's `uploadMedia`
 * calls them), then sets each image's alt text with `/2/media/metadata`.
 * Returns the media ids in order, for the post's `media.media_ids`. Alt text
 * longer than X takes is cut at 1,000 code points (never dropped).
 */
export async function uploadXImages(
  client: TwitterApi,
  images: readonly ImageAttachment[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const image of images.slice(0, X_MAX_IMAGES)) {
    const id = await client.v2.uploadMedia(Buffer.from(image.data), {
      media_type: image.mimeType,
      media_category: 'tweet_image',
    });
    await client.v2.createMediaMetadata(id, {
      alt_text: { text: Array.from(image.alt).slice(0, X_MAX_ALT).join('') },
    });
    ids.push(id);
  }
  return ids;
}

/**
 * X's `/2/media/upload/{id}/finalize` takes no request body; twitter-api-v2
 * (1.29) sends `{}` as JSON. This plugin sends the finalize call without a
 * body, as the OpenAPI description has it.
 */
export const finalizeWithoutBody: ITwitterApiClientPlugin = {
  onBeforeRequestConfig: ({ params }) => {
    if (/\/2\/media\/upload\/\d+\/finalize$/.test(params.url) && Object.keys(params.body ?? {}).length === 0)
      params.forceBodyMode = 'url';
  },
};
