"""Step definitions, star-imported by the root conftest so every scenario sees every step."""
# mypy: disable-error-code="no-redef"

from steps.cert_profile_steps import *  # noqa: F403
from steps.client_data_steps import *  # noqa: F403
from steps.common_steps import *  # noqa: F403
from steps.credential_auth_steps import *  # noqa: F403
from steps.credentials_steps import *  # noqa: F403
from steps.discovery_steps import *  # noqa: F403
from steps.document_steps import *  # noqa: F403
from steps.errors_steps import *  # noqa: F403
from steps.oauth_steps import *  # noqa: F403
from steps.parties_steps import *  # noqa: F403
from steps.revoke_steps import *  # noqa: F403
from steps.service_auth_steps import *  # noqa: F403
from steps.signhash_steps import *  # noqa: F403
from steps.spending_steps import *  # noqa: F403
from steps.timestamp_steps import *  # noqa: F403
