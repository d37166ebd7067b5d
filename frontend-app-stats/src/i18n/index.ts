// The message catalogues handed to frontend-platform: this app's, the header's and Paragon's.
// English is in the code (defaultMessage); other languages are JSON files keyed by message id.
import { messages as headerMessages } from '@edx/frontend-component-header';
import { messages as paragonMessages } from '@openedx/paragon';
import es419 from './messages/es_419.json';

export const appMessages: Record<string, Record<string, string>> = { 'es-419': es419 };

export default [appMessages, headerMessages, paragonMessages];
