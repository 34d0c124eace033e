// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice What the TD commits to in its quote's REPORTDATA:
/// reportData = bytes12(0) || proverAddress || keccak256(abi.encode(ReportData)).
struct ReportData {
    uint256 referenceBlockNumber;
    bytes32 referenceBlockHash;
    address proverAddress;
}

interface ISP1TEEProverRegistry {
    function register(ReportData calldata data, bytes calldata quote) external;

    function verifyAttestedProver(address prover) external view returns (bool);
}
