// The employees feature's door.
export { EmployeesView } from './EmployeesView';
