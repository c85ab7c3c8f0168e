"""served suggestions: Auto Detect answers kept for the AI report

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 01:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import labelhub.db.tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "served_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("body_json", sa.Text(), nullable=False),
        sa.Column("created_at", labelhub.db.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"], ["ml_models.id"], name=op.f("fk_served_suggestions_model_id_ml_models"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_served_suggestions_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_served_suggestions_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_served_suggestions")),
    )
    op.create_index("ix_served_suggestions_project_id_id", "served_suggestions", ["project_id", "id"], unique=False)
    op.create_index(op.f("ix_served_suggestions_task_id"), "served_suggestions", ["task_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_served_suggestions_task_id"), table_name="served_suggestions")
    op.drop_index("ix_served_suggestions_project_id_id", table_name="served_suggestions")
    op.drop_table("served_suggestions")
