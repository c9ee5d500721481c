/** The repository Argo CD syncs each environment's `dist/<cloud>/<environment>/` folder from. */
export const GITOPS_REPO_URL = 'https://git.company.com/platform/shop-deploy.git';
