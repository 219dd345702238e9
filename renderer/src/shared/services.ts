// What every feature may use of the running app: the host, the reference data, app info,
// and the app-level moves (open a document in the viewer, go to another view). Provided by
// the app shell; features read it with useServices().
import { createContext, useContext } from 'react';
import type { MethodOutput, Settings } from '../../../common/contract';
import type { ReferenceData } from '../../../common/doctypes';
import type { Host } from '../host';

export type ViewName = 'import' | 'label' | 'search' | 'employees' | 'settings';
export const VIEW_NAMES: readonly ViewName[] = ['import', 'label', 'search', 'employees', 'settings'];

export type AppInfo = MethodOutput<'app.info'>;

export interface Services {
  host: Host;
  reference: ReferenceData;
  info: AppInfo;
  openDocument(id: number): void;
  navigate(view: ViewName): void;
  settingsChanged(settings: Settings): void;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside the app shell');
  return services;
}
