"""API tokens: made with a password, listed and revoked."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from fastapi.exceptions import HTTPException

from handpicked.desk import accounts as account_service
from handpicked.desk import credentials
from handpicked.web.api.common import (
    ERROR,
    INVALID,
    NOT_FOUND,
    TOO_MANY_ATTEMPTS,
    UNAUTHORIZED,
    ApiRoute,
    Reader,
    TokenId,
    Web,
    not_found,
    now,
    too_many_attempts,
)
from handpicked.web.api_models import (
    TokenCreate,
    TokenCreated,
    TokenOut,
)

router = APIRouter(route_class=ApiRoute)


@router.post(
    "/tokens",
    tags=["tokens"],
    summary="Create an API token",
    description="Sign in with email and password and get a bearer token for the other "
    "endpoints. The token is shown only in this answer. Failed attempts are limited per "
    "account and per client address, as for the sign-in page.",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenCreated,
    responses={
        401: {**ERROR, "description": "The email and password do not match an account."},
        **TOO_MANY_ATTEMPTS,
        **INVALID,
    },
)
def create_token(body: TokenCreate, request: Request, context: Web) -> TokenCreated:
    address = request.client.host if request.client else None
    try:
        reader = account_service.authenticate(
            context.store, body.email, body.password, address, now()
        )
    except account_service.TooManyAttempts as error:
        raise too_many_attempts(error) from error
    except account_service.AccountError as error:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(error)) from error
    made = credentials.make_token(context.store, reader, body.name, now())
    return TokenCreated(id=made.id, token=made.secret, name=made.name)


@router.get(
    "/tokens",
    tags=["tokens"],
    summary="List your API tokens",
    description="Every token of the reader, without the secrets.",
    response_model=list[TokenOut],
    responses=UNAUTHORIZED,
)
def list_tokens(reader: Reader, context: Web) -> list[TokenOut]:
    found = credentials.tokens(context.store, reader)
    return [TokenOut.model_validate(token, from_attributes=True) for token in found]


@router.delete(
    "/tokens/{token_id:id}",
    tags=["tokens"],
    summary="Revoke an API token",
    description="The token stops working at once. Only the reader's own tokens can be revoked.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def revoke_token(token_id: TokenId, reader: Reader, context: Web) -> Response:
    if credentials.revoke_token(context.store, reader, token_id) is None:
        raise not_found(f"You have no API token {token_id}.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- the reader ----------------------------------------------------------------------------
