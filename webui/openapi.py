"""The OpenAPI 3.1 description of the JSON API (webui.api)."""

from __future__ import annotations

ERRORS = {
    "401": {"description": "未登录"},
    "403": {"description": "角色无此权限"},
    "404": {"description": "不存在或不在数据权限范围内"},
}


def _op(summary: str, params: list[dict], schema_ref: str) -> dict:
    return {"get": {"summary": summary, "parameters": params,
                    "responses": {"200": {"description": "成功", "content": {"application/json": {
                        "schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}, **ERRORS}}}


def _q(name: str, description: str, type_: str = "string", where: str = "query",
       required: bool = False, many: bool = False) -> dict:
    schema = {"type": "array", "items": {"type": type_}} if many else {"type": type_}
    return {"name": name, "in": where, "required": required or where == "path",
            "description": description, "schema": schema}


def document(server: str) -> dict:
    graph = {"type": "object", "properties": {
        "nodes": {"type": "array", "items": {"$ref": "#/components/schemas/Entity"}},
        "edges": {"type": "array", "items": {"$ref": "#/components/schemas/Edge"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "riskgraph 审核接口", "version": "1",
                 "description": "预警线索与实体查询。与页面相同的角色与数据权限检查；会话Cookie认证。"},
        "servers": [{"url": server.rstrip("/")}],
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie",
                                            "name": "riskgraph_session"}},
            "schemas": {
                "Finding": {"type": "object", "required": ["id", "detector", "severity", "title"],
                            "properties": {k: {"type": t} for k, t in (
                                ("id", "integer"), ("detector", "string"), ("rule_version", "string"),
                                ("severity", "string"), ("title", "string"),
                                ("review_status", "string"), ("data_status", "string"),
                                ("version", "integer"), ("created_at", "string"),
                                ("explanation", "string"), ("citation", "string"),
                                ("evidence", "object"), ("events", "array"))}},
                "FindingPage": {"type": "object", "properties": {
                    "total": {"type": "integer"}, "page": {"type": "integer"},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}}}},
                "Entity": {"type": "object", "properties": {k: {"type": "string"} for k in (
                    "id", "label", "label_zh", "name", "key")}},
                "EntityList": {"type": "object", "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Entity"}}}},
                "Edge": {"type": "object", "properties": {k: {"type": ["string", "null"]} for k in (
                    "id", "type", "type_zh", "from", "to", "start", "end", "source")}},
                "Graph": graph,
            },
        },
        "security": [{"session": []}],
        "paths": {
            "/api/findings": _op("预警线索列表（按数据权限过滤）", [
                _q("detector", "检测器"), _q("severity", "严重程度 high|medium|low"),
                _q("colour", "预警颜色 red|yellow|green"), _q("status", "审核状态或 open"),
                _q("org", "单位编码"), _q("assignee", "承办人用户编号", "integer"),
                _q("since", "发现日期起 YYYY-MM-DD"), _q("until", "发现日期止 YYYY-MM-DD"),
                _q("sort", "newest|oldest|severity|detector|updated"),
                _q("page", "页码", "integer"), _q("per_page", "每页条数（≤200）", "integer")],
                "FindingPage"),
            "/api/findings/{finding_id}": _op("预警线索详情（含证据与审核记录）",
                                              [_q("finding_id", "线索编号", "integer", "path")], "Finding"),
            "/api/entities": _op("按姓名、身份证号、统一社会信用代码或编码查找实体",
                                 [_q("q", "查询文本", required=True)], "EntityList"),
            "/api/entities/{key}/neighbours": _op("实体的一步关系（展开）", [
                _q("key", "实体键 标签:编号，如 Person:3601...", where="path"),
                _q("types", "关系类型", many=True)], "Graph"),
            "/api/paths": _op("两个实体之间的最短路径", [
                _q("a", "实体键", required=True), _q("b", "实体键", required=True),
                _q("hops", "最大跳数（1–6）", "integer"), _q("types", "关系类型", many=True),
                _q("since", "关系日期起"), _q("until", "关系日期止")], "Graph"),
        },
    }
