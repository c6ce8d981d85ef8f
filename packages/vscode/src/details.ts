/**
 * Show Details: a read-only JSON document of a resource, served by a TextDocumentContentProvider under the
 * `tceops` scheme (documents from a content provider cannot be edited or saved).
 */
import * as vscode from 'vscode';
import type { Item } from './data/source.ts';

export const DETAILS_SCHEME = 'tceops';

export class DetailsProvider implements vscode.TextDocumentContentProvider {
  private readonly documents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** The URI of a resource's document: tceops:/<region>/<kind>/<id>.json */
  static uriOf(region: string, kind: string, id: string): vscode.Uri {
    return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${region}/${kind}/${id}.json` });
  }

  set(uri: vscode.Uri, item: Item): void {
    this.documents.set(uri.toString(), `${JSON.stringify(item, null, 2)}\n`);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.documents.get(uri.toString()) ??
      '// This resource is no longer loaded: refresh the explorer and open it again.\n'
    );
  }
}
