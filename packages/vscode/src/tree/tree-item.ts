/** Node → vscode.TreeItem. All the decisions live in present.ts; this only builds the VS Code object. */
import * as vscode from 'vscode';
import { describeFilter, groupInfo, type Node } from './nodes.ts';
import { LOOKS, md } from './present.ts';

const { Collapsed, None } = vscode.TreeItemCollapsibleState;

function icon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

export function toTreeItem(node: Node): vscode.TreeItem {
  switch (node.type) {
    case 'connection': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = node.description;
      item.iconPath = icon('cloud');
      item.contextValue = 'tceops.connection';
      item.tooltip = `${node.label}\n${node.description}`;
      return withId(item, node);
    }
    case 'region': {
      const item = new vscode.TreeItem(node.region, Collapsed);
      item.description = node.name && node.name !== node.region ? node.name : undefined;
      item.accessibilityInformation = { label: `region ${node.region}${item.description ? `, ${node.name}` : ''}` };
      item.iconPath = icon('globe');
      item.contextValue = 'tceops.region';
      return withId(item, node);
    }
    case 'group': {
      const info = groupInfo(node.group);
      const item = new vscode.TreeItem(info.label, Collapsed);
      const filter = describeFilter(node.filter);
      item.description = filter ? `filter: ${filter}` : undefined;
      item.iconPath = icon(filter ? 'filter-filled' : info.icon);
      item.contextValue = `tceops.group.${node.group}${filter ? '.filtered' : ''}`;
      return withId(item, node);
    }
    case 'page': {
      const label = groupInfo(node.parent.group).label;
      const last = Math.min(node.end, node.total);
      const item = new vscode.TreeItem(`${label} ${count(node.start + 1)}–${count(last)}`, Collapsed);
      item.description = `of ${count(node.total)}`;
      item.accessibilityInformation = {
        label: `${label} ${count(node.start + 1)} to ${count(last)} of ${count(node.total)}`,
      };
      item.iconPath = icon('folder-library');
      item.contextValue = 'tceops.page';
      return withId(item, node);
    }
    case 'resource': {
      const look = LOOKS[node.kind](node.item);
      const item = new vscode.TreeItem(look.label, look.expandable ? Collapsed : None);
      item.description = node.error ? `refresh failed · ${look.description}` : look.description;
      item.iconPath = node.error ? icon('warning', 'list.warningForeground') : icon(look.icon, look.color);
      item.contextValue = look.contextValue;
      item.accessibilityInformation = {
        label: node.error ? `${look.accessibility}; refresh failed: ${node.error}` : look.accessibility,
      };
      // The tooltip and the command (Enter or a click: Show Details) are left to resolveTreeItem, which VS Code
      // calls on hover or open: a command with arguments costs VS Code a registration per row shown.
      return withId(item, node);
    }
    case 'loadMore': {
      const shown = node.total !== undefined ? ` (${count(node.loaded)} of ${count(node.total)})` : '';
      const item = new vscode.TreeItem(`Load more…${shown}`, None);
      item.iconPath = icon('ellipsis');
      item.contextValue = 'tceops.loadMore';
      item.command = { command: 'tceops.loadMore', title: 'Load More', arguments: [node] };
      return withId(item, node);
    }
    case 'message': {
      const item = new vscode.TreeItem(node.text, None);
      item.iconPath = icon(node.icon);
      item.contextValue = 'tceops.message';
      item.tooltip = node.tooltip ?? node.text;
      if (node.command) item.command = node.command;
      return withId(item, node);
    }
  }
}

/** What a resource row's default action runs: Show Details, without taking the focus from the tree. */
export function resourceCommand(node: Node): vscode.Command | undefined {
  if (node.type !== 'resource') return undefined;
  return { command: 'tceops.showDetails', title: 'Show Details', arguments: [node, { preserveFocus: true }] };
}

/** The Markdown tooltip of a resource row, built when the user hovers it. */
export function resourceTooltip(node: Node): vscode.MarkdownString | undefined {
  if (node.type !== 'resource') return undefined;
  const look = LOOKS[node.kind](node.item).tooltip;
  const failed = node.error ? `\n\n$(warning) The last refresh failed; this may be out of date: ${md(node.error)}` : '';
  const tooltip = new vscode.MarkdownString(look + failed);
  tooltip.supportThemeIcons = true;
  return tooltip;
}

function count(n: number): string {
  return n.toLocaleString('en');
}

function withId(item: vscode.TreeItem, node: Node): vscode.TreeItem {
  item.id = node.key;
  return item;
}
